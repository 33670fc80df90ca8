// Runs inside the VS Code extension host (code-server here, @vscode/test-electron on a desktop).
// Every expected value is read independently of VirtLab's core: os.release(), `uname -r`,
// /proc/self/mountinfo, access(/dev/kvm), `docker version`.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as vscode from 'vscode';
import { expectedCgroupLayout, layoutPattern } from './mountinfo';

const EXTENSION_ID = 'virtlab.virtlab';

interface Snapshot {
  version: number;
  nodes: Array<{ id: string; kind: string; label: string; props: Record<string, unknown> }>;
  edges: unknown[];
}

interface VirtLabApi {
  snapshot(): Promise<Snapshot>;
  hostTree: vscode.TreeDataProvider<unknown>;
}

interface Row {
  element: unknown;
  item: vscode.TreeItem;
  depth: number;
}

function labelOf(item: vscode.TreeItem): string {
  return typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
}

/** The tree as VS Code would render it, two levels deep (facts and the tools group's facts). */
async function walk(tree: vscode.TreeDataProvider<unknown>, parent?: unknown, depth = 0): Promise<Row[]> {
  const children = (await tree.getChildren(parent)) ?? [];
  const rows: Row[] = [];
  for (const element of children) {
    const item = await tree.getTreeItem(element);
    rows.push({ element, item, depth });
    if (depth < 1 && item.collapsibleState !== undefined && item.collapsibleState !== vscode.TreeItemCollapsibleState.None) {
      rows.push(...(await walk(tree, element, depth + 1)));
    }
  }
  return rows;
}

function row(rows: Row[], label: string): Row {
  const found = rows.find((r) => labelOf(r.item) === label);
  assert.ok(found, `a Host row labelled "${label}" (rows: ${rows.map((r) => labelOf(r.item)).join(', ')})`);
  return found;
}

/** MarkdownString text with markdown escapes removed, for comparing with plain paths. */
function tooltipText(item: vscode.TreeItem): string {
  const t = item.tooltip;
  const raw = typeof t === 'string' ? t : (t?.value ?? '');
  return raw.replace(/\\(.)/g, '$1');
}

describe('VirtLab in the extension host', function () {
  let ext: vscode.Extension<VirtLabApi>;
  let api: VirtLabApi;

  before(async function () {
    const found = vscode.extensions.getExtension<VirtLabApi>(EXTENSION_ID);
    assert.ok(found, `extension ${EXTENSION_ID} is installed`);
    ext = found;
    api = await ext.activate();
  });

  it('activates and returns its API', function () {
    assert.equal(ext.isActive, true);
    assert.equal(typeof api.snapshot, 'function');
    assert.equal(typeof api.hostTree.getChildren, 'function');
    assert.equal(typeof api.hostTree.getTreeItem, 'function');
  });

  it('registers every command it contributes', async function () {
    const contributed = ((ext.packageJSON.contributes?.commands ?? []) as Array<{ command: string }>).map((c) => c.command);
    for (const id of ['virtlab.refresh', 'virtlab.copySnapshot', 'virtlab.showLog']) assert.ok(contributed.includes(id), `package.json contributes ${id}`);
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.filter((c) => !registered.has(c));
    assert.deepEqual(missing, [], 'contributed commands without a registered handler');
  });

  it('shows the running kernel, equal to os.release() and `uname -r`', async function () {
    const kernel = row(await walk(api.hostTree), 'Kernel');
    const uname = execFileSync('uname', ['-r'], { encoding: 'utf8' }).trim();
    assert.equal(os.release(), uname, 'os.release() and uname -r agree (sanity)');
    assert.equal(kernel.item.description, uname);
    assert.match(tooltipText(kernel.item), /\/proc\/sys\/kernel\/osrelease/, 'the tooltip names the source file');
  });

  it('shows the cgroup layout that /proc/self/mountinfo describes', async function () {
    const expected = expectedCgroupLayout(fs.readFileSync('/proc/self/mountinfo', 'utf8'));
    const layout = row(await walk(api.hostTree), 'cgroup layout');
    assert.match(String(layout.item.description), layoutPattern(expected), `layout ${expected}`);
  });

  it('shows /dev/kvm as access(2) reports it', async function () {
    let expected: RegExp;
    try {
      fs.accessSync('/dev/kvm', fs.constants.R_OK | fs.constants.W_OK);
      expected = /^present, read\/write$/;
    } catch (e) {
      expected = (e as NodeJS.ErrnoException).code === 'ENOENT' ? /^absent$/ : /^present, no permission$/;
    }
    assert.match(String(row(await walk(api.hostTree), '/dev/kvm').item.description), expected);
  });

  it('shows the Docker Engine version that `docker version` reports', async function () {
    const docker = row(await walk(api.hostTree), 'Docker Engine');
    let server: string | undefined;
    try {
      server = execFileSync('docker', ['version', '--format', '{{.Server.Version}}'], { encoding: 'utf8', timeout: 20_000 }).trim();
    } catch {
      server = undefined; // no CLI or no daemon: the row must say it is not reachable
    }
    if (server) assert.equal(String(docker.item.description).split(' ')[0], server, `"${String(docker.item.description)}" starts with the version ${server}`);
    else assert.match(String(docker.item.description), /not running|not answering|no permission/);
  });

  it('snapshot() returns the same kernel fact as a graph node', async function () {
    const snap = await api.snapshot();
    assert.equal(snap.version, 1);
    const kernel = snap.nodes.find((n) => n.kind === 'host-fact' && n.props.key === 'kernel');
    assert.ok(kernel, 'a host-fact node for the kernel');
    assert.equal(kernel.props.value, os.release());
  });

  it('virtlab.refresh re-reads the machine and the tree still shows the kernel', async function () {
    await vscode.commands.executeCommand('virtlab.refresh');
    assert.equal(row(await walk(api.hostTree), 'Kernel').item.description, os.release());
  });

  it('virtlab.copySnapshot puts the snapshot JSON on the clipboard', async function () {
    await vscode.env.clipboard.writeText('');
    await vscode.commands.executeCommand('virtlab.copySnapshot');
    const text = await vscode.env.clipboard.readText();
    const snap = JSON.parse(text) as Snapshot;
    assert.equal(snap.version, 1);
    assert.ok(snap.nodes.some((n) => n.kind === 'host-fact' && n.props.key === 'kernel' && n.props.value === os.release()));
  });

  it('virtlab.showLog opens the VirtLab log (an output document of this extension)', async function () {
    const isLog = (d: vscode.TextDocument) => d.uri.scheme === 'output' && /VirtLab/i.test(decodeURIComponent(d.uri.toString()));
    await vscode.commands.executeCommand('workbench.action.closePanel');
    await vscode.commands.executeCommand('virtlab.showLog');
    const deadline = Date.now() + 15000;
    while (!vscode.workspace.textDocuments.some(isLog) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const outputs = vscode.workspace.textDocuments.filter((d) => d.uri.scheme === 'output').map((d) => d.uri.toString());
    assert.ok(vscode.workspace.textDocuments.some(isLog), `no VirtLab output document opened; output documents: ${JSON.stringify(outputs)}`);
  });
});
