import * as vscode from 'vscode';
import { chooseNamespaces, nothingToEnter, nsenterFailure, nsenterPlan, ownNamespaces, skippedLines, skippedSentence, targetNamespaces, type Inodes } from '../../core/actions/nsenter';
import type { GraphNode } from '../../core/model/graph';
import { NS_TYPES, type NsType } from '../../core/proc/namespaces';
import { run } from '../../core/sys/exec';
import { code, md, type DetailsDocuments } from '../details';
import { pickContainer, pickNamespaceTypes, pickProcessOrContainer } from '../pickers';
import { namespaceTerminalTarget } from './nsTarget';
import type { SnapshotStore } from '../snapshotStore';
import { GraphIndex, prop } from '../trees/index';
import { NS_ISOLATES } from '../trees/namespacesRows';
import type { RowSpec } from '../trees/spec';

function sharedWith(v: string | undefined): string {
  if (!v || v === 'own') return 'own (isolated)';
  if (v === 'host') return 'shared with the host';
  return `shared with ${v.replace(/^container:/, 'container ')}`;
}

/** The markdown of "Inspect Container Namespaces": one row per namespace type with a sentence each. */
export function containerNamespacesMarkdown(g: GraphIndex, c: GraphNode): string {
  const ns = prop<Record<string, number>>(c, 'namespaces') ?? {};
  const shared = prop<Record<string, string>>(c, 'sharedNamespaces') ?? {};
  const pid = prop<number>(c, 'pid');
  const lines = [`# Namespaces of container ${md(c.label)}`, '', `Image ${code(prop(c, 'image'))} · state ${code(prop(c, 'state'))} · init process host PID ${code(pid ?? '-')}`, ''];
  if (!Object.keys(ns).length) {
    lines.push('The container is not running, so it has no namespaces right now. Start it and inspect again.');
    return lines.join('\n');
  }
  lines.push('| namespace | inode | shared with | processes | what it isolates |', '|---|---|---|---|---|');
  for (const t of NS_TYPES) {
    const inode = ns[t];
    if (inode === undefined) continue;
    const node = g.nodes.get(`ns:${t}:${inode}`);
    const members = prop<number>(node, 'processCount') ?? g.sources(`ns:${t}:${inode}`, 'member-of').filter((n) => n.kind === 'process').length;
    lines.push(`| **${t}** | ${code(inode)} | ${md(sharedWith(shared[t]))} | ${members} | ${md(NS_ISOLATES[t])} |`);
  }
  lines.push('', `Source: ${code(`readlink /proc/${pid}/ns/*`)} and the Docker API (${code('HostConfig')} modes).`, '', `Try it: **VirtLab: Open Terminal in Namespaces…** on this container, or ${code(`sudo nsenter --target ${pid} --net -- ip addr`)}.`);
  return lines.join('\n');
}

function containerFromArg(store: SnapshotStore, arg: unknown): GraphNode | undefined {
  const id = (arg as RowSpec | undefined)?.nodeId;
  return id ? store.latest?.nodes.find((n) => n.id === id && n.kind === 'container') : undefined;
}

export async function inspectContainerNamespaces(store: SnapshotStore, docs: DetailsDocuments, arg?: unknown): Promise<void> {
  const snap = store.latest ?? (await store.refresh());
  const c = containerFromArg(store, arg) ?? (await pickContainer(snap, 'Inspect Container Namespaces'));
  if (!c) return;
  await docs.show(`${c.label} namespaces`, containerNamespacesMarkdown(GraphIndex.of(store.latest ?? snap), c));
}

/** Whether nsenter can be run right now (root, or a sudo rule that needs no password). */
async function canUseSudo(): Promise<boolean> {
  return (await run('sudo', ['-n', 'true'], { timeoutMs: 3000 })).ok;
}

/** The inode of each namespace of process `pid` as the snapshot has it (when /proc cannot be read from here). */
function graphInodes(g: GraphIndex, pid: number): Inodes {
  const out: Inodes = {};
  const proc = g.nodes.get(`process:${pid}`);
  for (const n of proc ? g.targets(proc.id, 'member-of') : []) {
    const t = prop<NsType>(n, 'type');
    const inode = prop<number>(n, 'inode');
    if (t && inode !== undefined) out[t] = inode;
  }
  return out;
}

export async function openNamespaceTerminal(store: SnapshotStore, arg?: unknown, preset?: { pid: number; label: string; types?: NsType[] }, log?: vscode.LogOutputChannel): Promise<vscode.Terminal | undefined> {
  const snap = store.latest ?? (await store.refresh());
  let target = preset;
  if (!target) {
    const row = arg as RowSpec | undefined;
    const node = row?.nodeId ? snap.nodes.find((n) => n.id === row.nodeId) : undefined;
    if (node?.kind === 'container' && prop<number>(node, 'pid')) target = { pid: prop<number>(node, 'pid')!, label: node.label };
    else if (node?.kind === 'namespace') {
      target = namespaceTerminalTarget(snap, node);
      if (!target) return void vscode.window.showInformationMessage(`No process is inside ${node.label}, so there is no process to enter it through.`);
    } else if (node?.kind === 'process') target = { pid: prop<number>(node, 'pid')!, label: `${prop<string>(node, 'comm')}-${prop<number>(node, 'pid')}` };
    else target = await pickProcessOrContainer(snap);
  }
  if (!target) return undefined;
  // nsenter starts in VS Code's own namespaces: entering one of those changes nothing, and the own
  // user namespace is refused outright (setns EINVAL), so those are skipped and the user is told.
  const own = ownNamespaces();
  const inodes = { ...graphInodes(GraphIndex.of(snap), target.pid), ...targetNamespaces(target.pid) };
  // Callers (the topology panel, tests, keybindings) may name the namespaces: { nodeId, types: ['net'] }.
  const argTypes = (arg as { types?: unknown } | undefined)?.types;
  let types = target.types ?? (Array.isArray(argTypes) ? NS_TYPES.filter((t) => argTypes.includes(t)) : undefined);
  if (!types) {
    const rows = NS_TYPES.map((t) => ({ type: t, inode: inodes[t], own: inodes[t] !== undefined && inodes[t] === own[t], isolates: NS_ISOLATES[t] }));
    types = await pickNamespaceTypes(`Enter which namespaces of ${target.label} (PID ${target.pid})?`, rows);
    if (!types) return undefined;
    if (!types.length) {
      void vscode.window.showWarningMessage('Pick at least one namespace to enter.');
      return undefined;
    }
  }
  const choice = chooseNamespaces(types, inodes, own);
  const skipped = skippedLines(choice.skipped);
  if (!choice.enter.length) {
    void vscode.window.showInformationMessage(`VirtLab: ${nothingToEnter(target.label, choice.skipped)}`);
    return undefined;
  }
  const asRoot = process.getuid?.() === 0;
  if (!asRoot && !(await canUseSudo())) {
    void vscode.window.showErrorMessage(`Entering namespaces needs root. Allow it without a password for nsenter only, e.g. add to sudoers (sudo visudo -f /etc/sudoers.d/virtlab): "${process.env.USER ?? 'you'} ALL=(root) NOPASSWD: /usr/bin/nsenter"`);
    return undefined;
  }
  // Inside the container's mount namespace only its own binaries exist: /bin/sh is the safe choice.
  const shell = choice.enter.includes('mnt') ? '/bin/sh' : process.env.SHELL || '/bin/bash';
  const plan = nsenterPlan(target.pid, choice.enter, shell, target.label, asRoot);
  // Try the same nsenter once with `shell -c :` so a refusal is told in words, not as a terminal that dies with "exit code 1".
  const probe = await run(plan.file, [...plan.args, '-c', ':'], { timeoutMs: 10000 });
  if (!probe.ok) {
    const why = nsenterFailure(target.label, target.pid, probe.stderr || probe.error || '', probe.code);
    log?.error(`Open Terminal in Namespaces: ${why} ($ ${plan.file} ${plan.args.join(' ')}: ${probe.stderr.trim() || probe.error || `exit code ${probe.code}`})`);
    void vscode.window.showErrorMessage(`VirtLab: ${why}`, 'Show Log').then((c) => c && log?.show());
    return undefined;
  }
  const entered = `Entered ${choice.enter.join(', ')} of ${target.label} (PID ${target.pid}).`;
  log?.info(`Open Terminal in Namespaces: ${entered}${skipped.length ? ` Skipped ${skipped.join('; ')}` : ''}`);
  const message = [`\x1b[1mVirtLab: ${entered}\x1b[0m`, ...skipped.map((l) => `  ${l}`)].join('\r\n');
  const term = vscode.window.createTerminal({ name: plan.title, shellPath: plan.file, shellArgs: plan.args, iconPath: new vscode.ThemeIcon('symbol-namespace'), isTransient: true, message });
  term.show();
  if (skipped.length) void vscode.window.showInformationMessage(`VirtLab: ${entered} ${skippedSentence(choice.skipped)}`);
  return term;
}
