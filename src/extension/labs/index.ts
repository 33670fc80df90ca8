import { spawn } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { isStale } from '../../core/lab/engine';
import { generateLab, parseTopo } from '../../core/lab/generate';
import { defaultStateDir, listLedgers } from '../../core/lab/ledger';
import { which } from '../../core/sys/which';
import type { DetailsDocuments } from '../details';
import type { GuideSource } from '../guides';
import type { SnapshotStore } from '../snapshotStore';
import { LabDiagnostics } from './diagnostics';
import { failure, labCli } from './runner';
import { LabsTreeProvider, type LabItem } from './tree';

// The Labs view and its commands. Every change to the machine goes through the `virtlab lab` CLI
// (root directly, else sudo -n); reading the ledger happens here.

const stateDir = () => defaultStateDir();

/** Set in the environment of every terminal opened into a lab host: the lab's name. */
const LAB_ENV = 'VIRTLAB_LAB';

/** The terminals opened into the hosts of lab `name` (also ones restored after a reload). */
function hostTerminals(name: string): vscode.Terminal[] {
  return vscode.window.terminals.filter((t) => {
    const env = 'env' in t.creationOptions ? t.creationOptions.env : undefined;
    return env?.[LAB_ENV] === name;
  });
}

const terminalCount = (n: number) => `${n} terminal${n === 1 ? '' : 's'}`;

/** Register the Labs view (`virtlab.labs`) and its commands; offers cleanup of labs cut off halfway. */
export function registerLabs(context: vscode.ExtensionContext, store: SnapshotStore, log: vscode.LogOutputChannel, guides: GuideSource | undefined, docs: DetailsDocuments): vscode.Disposable {
  const cli = labCli(context.extensionPath);
  const tree = new LabsTreeProvider(stateDir, log, guides);
  const view = vscode.window.createTreeView('virtlab.labs', { treeDataProvider: tree, showCollapseAll: true });
  const out = vscode.window.createOutputChannel('VirtLab Labs');
  const diags = new LabDiagnostics();

  const after = () => {
    tree.refresh();
    void store.refresh().catch(() => undefined);
  };

  /** Run `virtlab lab ARGS` with progress; show the error the CLI gave when it fails. */
  const runCli = async (title: string, args: string[]): Promise<string | undefined> => {
    const r = await vscode.window.withProgress({ location: { viewId: 'virtlab.labs' }, title }, () => cli.run([...args, '--state-dir', stateDir()]));
    out.appendLine(`$ virtlab lab ${args.join(' ')}\n${r.stdout}${r.stderr}`);
    if (!r.ok) {
      void vscode.window.showErrorMessage(`VirtLab: ${title} failed: ${failure(r)}`, 'Show Output').then((c) => c && out.show());
      return undefined;
    }
    return r.stdout;
  };

  const pickLab = async (arg: unknown): Promise<string | undefined> => {
    const it = arg as LabItem | undefined;
    if (it?.type === 'lab') return it.status.name;
    if (it?.type === 'host' || it?.type === 'switch') return it.lab;
    await tree.getChildren();
    const names = tree.running.map((l) => l.name);
    if (names.length <= 1) return names[0] ?? void vscode.window.showInformationMessage('No lab is running.');
    return vscode.window.showQuickPick(names, { title: 'Which lab?' });
  };

  const labUp = async (arg?: unknown) => {
    // A lab file from the workspace names images and commands that `up` starts as root: in
    // Restricted Mode nothing from an untrusted workspace runs, so this waits for trust.
    if (!vscode.workspace.isTrusted) {
      log.warn('lab up refused: this workspace is not trusted (Restricted Mode)');
      void vscode.window
        .showWarningMessage('VirtLab: Lab: Up is off in Restricted Mode. A lab file from this workspace would create namespaces, links and containers (running the commands it names) as root. Trust the workspace to bring labs up.', 'Manage Workspace Trust')
        .then((c) => c && vscode.commands.executeCommand('workbench.trust.manage'));
      return;
    }
    let uri = (arg as LabItem | undefined)?.type === 'file' ? (arg as { uri: vscode.Uri }).uri : arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
    if (!uri || !/\.vlab\.ya?ml$/.test(uri.fsPath)) {
      await tree.getChildren();
      const pick = await vscode.window.showQuickPick(tree.defined.map((u) => ({ label: vscode.workspace.asRelativePath(u), uri: u })), { title: 'Bring up which lab file?' });
      uri = pick?.uri;
    }
    if (!uri) return;
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri!.toString());
    if (doc?.isDirty) await doc.save();
    // Problems of the file go to the Problems panel with their lines; nothing runs then.
    if (!(await diags.checkBeforeUp(uri))) return;
    const res = await runCli(`Lab up ${path.basename(uri.fsPath)}`, ['up', uri.fsPath]);
    if (res !== undefined) void vscode.window.showInformationMessage(`Lab ${path.basename(uri.fsPath)} is up.`);
    after();
  };

  const labDown = async (arg?: unknown) => {
    const name = await pickLab(arg);
    if (!name) return;
    const open = hostTerminals(name);
    const detail = `This deletes its namespaces, links and containers.${open.length ? ` ${terminalCount(open.length)} open on its hosts will be closed.` : ''}`;
    if ((await vscode.window.showWarningMessage(`Take lab ${name} down?`, { modal: true, detail }, 'Down')) !== 'Down') return;
    const res = await runCli(`Lab down ${name}`, ['down', name]);
    after();
    if (res === undefined) return;
    // Their shells sit in namespaces that no longer exist ("Network is unreachable"): close them.
    const closed = hostTerminals(name);
    for (const t of closed) t.dispose();
    void vscode.window.showInformationMessage(`Lab ${name} is down.${closed.length ? ` Closed ${terminalCount(closed.length)} of its hosts (${closed.map((t) => t.name).join(', ')}).` : ''}`);
  };

  const labPingAll = async (arg?: unknown) => {
    const name = await pickLab(arg);
    if (!name) return;
    const res = await runCli(`Pingall ${name}`, ['pingall', name, '--json']);
    if (res === undefined) return;
    const r = JSON.parse(res) as { tried: number; answered: number; skipped: number; pairs: { from: string; to: string; ok: boolean; rttMs?: number }[] };
    const hosts = [...new Set(r.pairs.flatMap((p) => [p.from, p.to]))];
    const cell = (a: string, b: string) => (a === b ? '—' : (r.pairs.find((p) => p.from === a && p.to === b)?.ok ?? null) === null ? ' ' : r.pairs.find((p) => p.from === a && p.to === b)!.ok ? '✓' : '✗');
    const md = [`# pingall ${name}`, '', `${r.answered}/${r.tried} pairs answered${r.skipped ? ` (${r.skipped} pairs in different segments not tried)` : ''}`, '', `| from \\ to | ${hosts.join(' | ')} |`, `|---|${hosts.map(() => '---').join('|')}|`, ...hosts.map((a) => `| ${a} | ${hosts.map((b) => cell(a, b)).join(' | ')} |`)].join('\n');
    // A rendered, read-only report: nothing to save.
    await docs.show(`${name} ping all`, md);
  };

  const labTerminal = async (arg?: unknown) => {
    const it = arg as LabItem | undefined;
    if (it?.type !== 'host') return void vscode.window.showInformationMessage('Pick a host in the Labs view.');
    let t: vscode.Terminal;
    // The prompt names the lab host (its hostname is this machine's); VIRTLAB_LAB marks the terminal for Lab: Down.
    const names = { [LAB_ENV]: it.lab, VIRTLAB_LAB_HOST: it.host.name };
    const prompt = `[${it.lab}/${it.host.name}] \\w # `;
    if (it.host.kind === 'linux') {
      // A container host: an interactive shell inside the container itself (docker exec -it).
      t = vscode.window.createTerminal({ name: it.host.name, shellPath: 'docker', shellArgs: ['exec', '-it', '-e', `PS1=${prompt}`, it.host.netns, 'sh'], env: names });
    } else {
      // Through sudo the environment is reset, so the names go on the command line (env NAME=VALUE).
      const bash = await which('bash', process.env.PATH ?? '');
      const shell = bash ? ['bash', '--rcfile', path.join(context.extensionPath, 'media', 'lab-host.bashrc'), '-i'] : ['sh', '-i'];
      const vars = [...Object.entries(names).map(([k, v]) => `${k}=${v}`), ...(bash ? [] : [`PS1=[${it.lab}/${it.host.name}] # `])];
      const [shellPath, shellArgs] = cli.command(['exec', it.lab, it.host.name, '--state-dir', stateDir(), '--', 'env', ...vars, ...shell]);
      t = vscode.window.createTerminal({ name: it.host.name, shellPath, shellArgs, env: { ELECTRON_RUN_AS_NODE: '1', ...names } });
    }
    t.show();
  };

  const labCapture = async (arg?: unknown) => {
    const it = arg as LabItem | undefined;
    if (it?.type !== 'host') return void vscode.window.showInformationMessage('Pick a host in the Labs view.');
    const ifaces = it.host.addresses.map((a) => a.split(' ')[0]);
    const iface = ifaces.length === 1 ? ifaces[0] : await vscode.window.showQuickPick(ifaces, { title: `Capture on which interface of ${it.host.name}?` });
    if (!iface) return;
    const secs = await vscode.window.showInputBox({ title: 'Capture for how many seconds (or until 200 packets)?', value: '10', validateInput: (v) => (/^\d{1,4}$/.test(v) ? undefined : 'a whole number of seconds') });
    if (!secs) return;
    const dir = context.storageUri?.fsPath ?? context.globalStorageUri.fsPath ?? os.tmpdir();
    await fsp.mkdir(dir, { recursive: true });
    const file = path.join(dir, `${it.lab}-${it.host.name}-${iface}-${Date.now()}.pcap`);
    const res = await runCli(`Capture ${it.host.name}:${iface}`, ['capture', it.lab, `${it.host.name}:${iface}`, '-o', file, '--count', '200', '--seconds', secs]);
    if (res === undefined) return;
    const wireshark = await which('wireshark', process.env.PATH ?? '');
    if (wireshark && process.env.DISPLAY) spawn(wireshark, ['-r', file], { detached: true, stdio: 'ignore' }).unref();
    else await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(file));
    void vscode.window.showInformationMessage(`Capture saved to ${file}`);
  };

  const labGenerate = async () => {
    const kind = await vscode.window.showQuickPick(
      [
        { label: 'linear', description: 'N switches in a chain, one host each (Mininet linear,N)' },
        { label: 'single', description: 'one switch, N hosts (Mininet single,N)' },
        { label: 'tree', description: 'a tree of switches (Mininet tree,depth,fanout)' },
      ],
      { title: 'Generate a lab: topology' },
    );
    if (!kind) return;
    const spec = await vscode.window.showInputBox({ title: `${kind.label}: ${kind.label === 'tree' ? 'depth,fanout' : 'N'}`, value: kind.label === 'tree' ? '2,2' : '4', validateInput: (v) => { try { parseTopo(`${kind.label},${v}`); return undefined; } catch (e) { return (e as Error).message; } } });
    if (!spec) return;
    const sw = await vscode.window.showQuickPick([{ label: 'bridge', description: 'Linux bridge (built into the kernel)' }, { label: 'ovs', description: 'Open vSwitch (OpenFlow rules)' }], { title: 'Switch' });
    if (!sw) return;
    const topo = parseTopo(`${kind.label},${spec}`);
    const text = generateLab(topo, { switch: sw.label as 'bridge' | 'ovs' });
    const folder = vscode.workspace.workspaceFolders?.[0];
    const name = `${kind.label}${spec.replace(',', 'x')}${sw.label === 'ovs' ? '-ovs' : ''}.vlab.yaml`;
    // Ask where to save it (the workspace folder is only the suggestion).
    const uri = await vscode.window.showSaveDialog({ title: 'Save the lab file', saveLabel: 'Save Lab File', defaultUri: folder ? vscode.Uri.joinPath(folder.uri, name) : undefined, filters: { 'Lab files': ['vlab.yaml', 'yaml', 'yml'] } });
    if (!uri) return;
    await vscode.workspace.fs.writeFile(uri, Buffer.from(text));
    await vscode.window.showTextDocument(uri);
    tree.refresh();
  };

  const labClean = async (staleOnly: boolean) => {
    await runCli(staleOnly ? 'Clean up cut-off labs' : 'Clean up all labs', ['clean', ...(staleOnly ? ['--stale'] : [])]);
    after();
  };

  // Labs cut off halfway (VS Code killed during `up`): offer the cleanup once per activation.
  void listLedgers(stateDir()).then(({ ledgers }) => {
    const stale = ledgers.filter(isStale);
    if (!stale.length) return;
    void vscode.window.showWarningMessage(`VirtLab: ${stale.length === 1 ? `lab ${stale[0].name} was` : `${stale.length} labs were`} cut off while starting and left objects behind.`, 'Clean Up').then((c) => c && labClean(true));
  });

  const guard =
    (what: string, f: (arg?: unknown) => Promise<unknown>) =>
    async (arg?: unknown) => {
      try {
        await f(arg);
      } catch (e) {
        log.error(`${what}: ${(e as Error).stack ?? e}`);
        void vscode.window.showErrorMessage(`VirtLab: ${what} failed: ${(e as Error).message}`);
      }
    };

  const fsw = vscode.workspace.createFileSystemWatcher('**/*.vlab.{yaml,yml}');
  const disposables: vscode.Disposable[] = [
    tree,
    view,
    out,
    fsw,
    fsw.onDidCreate(() => tree.refresh()),
    fsw.onDidDelete(() => tree.refresh()),
    diags,
    vscode.workspace.onDidSaveTextDocument((d) => {
      if (/\.vlab\.ya?ml$/.test(d.uri.path)) void diags.check(d.uri).catch((e: Error) => log.warn(`lab check: ${e.message}`));
    }),
    vscode.commands.registerCommand('virtlab.lab.refresh', () => tree.refresh()),
    vscode.commands.registerCommand('virtlab.lab.up', guard('Lab up', labUp)),
    vscode.commands.registerCommand('virtlab.lab.down', guard('Lab down', labDown)),
    vscode.commands.registerCommand('virtlab.lab.pingall', guard('Pingall', labPingAll)),
    vscode.commands.registerCommand('virtlab.lab.terminal', guard('Terminal on lab host', labTerminal)),
    vscode.commands.registerCommand('virtlab.lab.capture', guard('Capture', labCapture)),
    vscode.commands.registerCommand('virtlab.lab.generate', guard('Generate lab', labGenerate)),
    vscode.commands.registerCommand('virtlab.lab.clean', guard('Clean labs', () => labClean(false))),
  ];
  return vscode.Disposable.from(...disposables);
}
