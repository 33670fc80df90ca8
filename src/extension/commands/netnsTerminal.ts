import * as vscode from 'vscode';
import { netnsShellPlan, type NetnsTarget } from '../../core/actions/netnsShell';
import { run } from '../../core/sys/exec';
import type { SnapshotStore } from '../snapshotStore';
import { nsHolder, netnsName } from '../trees/holders';
import { GraphIndex, prop } from '../trees/index';
import type { RowSpec } from '../trees/spec';

/** "Open Terminal in Network Namespace" on a net namespace row: a shell that only changes network namespace. */
export async function openNetnsTerminal(store: SnapshotStore, arg?: unknown): Promise<vscode.Terminal | undefined> {
  const snap = store.latest ?? (await store.refresh());
  const g = GraphIndex.of(snap);
  const id = typeof arg === 'string' ? arg : (arg as RowSpec | undefined)?.nodeId;
  const ns = id ? g.nodes.get(id) : undefined;
  if (!ns || ns.kind !== 'namespace' || prop<string>(ns, 'type') !== 'net') {
    void vscode.window.showErrorMessage('Open Terminal in Network Namespace: pick a network namespace row in the Namespaces view.');
    return undefined;
  }
  const holder = nsHolder(g, ns);
  const target: NetnsTarget = { label: holder.label, name: netnsName(ns) };
  if (target.name === undefined) {
    if (prop<number>(ns, 'lowestPid') !== undefined) target.pid = prop<number>(ns, 'lowestPid');
    else target.path = (prop<string[]>(ns, 'nsfs') ?? [])[0];
  }
  const asRoot = process.getuid?.() === 0;
  if (!asRoot && !(await run('sudo', ['-n', 'true'], { timeoutMs: 3000 })).ok) {
    void vscode.window.showErrorMessage(`Entering ${holder.label} needs root: run VS Code as root, or allow "ip netns exec" and nsenter through sudo without a password.`);
    return undefined;
  }
  const plan = netnsShellPlan(target, process.env.SHELL || '/bin/bash', asRoot);
  const term = vscode.window.createTerminal({ name: plan.title, shellPath: plan.file, shellArgs: plan.args, iconPath: new vscode.ThemeIcon('symbol-namespace'), isTransient: true });
  term.show();
  return term;
}
