// The sidebar trees in the extension host: the trees show what a snapshot taken in the same test holds,
// and the commands work on a real container. Expected values come from `docker inspect` and
// readlink of /proc/<pid>/ns/*, not from VirtLab.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as vscode from 'vscode';

const NAME = `vlt-ext-${process.pid}`;
const NS = ['cgroup', 'ipc', 'mnt', 'net', 'pid', 'time', 'user', 'uts'];

interface Node {
  id: string;
  kind: string;
  label: string;
  props: Record<string, unknown>;
}
interface Api {
  snapshot(): Promise<{ nodes: Node[]; edges: { from: string; to: string; kind: string }[] }>;
  trees: Record<string, vscode.TreeDataProvider<unknown>>;
  isLive(): boolean;
}
interface Row {
  element: unknown;
  item: vscode.TreeItem;
  children: Row[];
}

function docker(...args: string[]): string {
  return execFileSync('docker', args, { encoding: 'utf8', timeout: 60000 }).trim();
}
const label = (i: vscode.TreeItem) => (typeof i.label === 'string' ? i.label : (i.label?.label ?? ''));

async function rows(tree: vscode.TreeDataProvider<unknown>, parent?: unknown, depth = 3): Promise<Row[]> {
  const out: Row[] = [];
  for (const element of (await tree.getChildren(parent)) ?? []) {
    const item = await tree.getTreeItem(element);
    const kids = depth > 0 && item.collapsibleState ? await rows(tree, element, depth - 1) : [];
    out.push({ element, item, children: kids });
  }
  return out;
}

function find(rs: Row[], pred: (r: Row) => boolean): Row | undefined {
  for (const r of rs) {
    if (pred(r)) return r;
    const hit = find(r.children, pred);
    if (hit) return hit;
  }
  return undefined;
}

async function until<T>(what: string, f: () => T | undefined | Promise<T | undefined>, ms = 30000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('VirtLab views and commands on a real container', function () {
  let api: Api;
  let id: string;
  let pid: number;
  const inodes: Record<string, number> = {};

  before(async function () {
    api = (await vscode.extensions.getExtension('virtlab.virtlab')!.activate()) as Api;
    try {
      docker('rm', '-f', NAME);
    } catch {
      /* not there */
    }
    id = docker('run', '-d', '--name', NAME, '--label', 'virtlab.test=1', '--memory', '64m', 'virtlab/busybox:latest', 'sleep', '600');
    pid = Number(docker('inspect', '-f', '{{.State.Pid}}', id));
    for (const t of NS) inodes[t] = Number(/\[(\d+)\]/.exec(fs.readlinkSync(`/proc/${pid}/ns/${t}`))![1]);
  });

  after(() => {
    try {
      docker('rm', '-f', NAME);
    } catch {
      /* already gone */
    }
  });

  it('the Containers tree shows the container with its 8 namespaces, equal to /proc/<pid>/ns', async () => {
    const snap = await api.snapshot();
    assert.ok(snap.nodes.some((n) => n.id === `container:${id}`), 'the snapshot has the container');
    const tree = api.trees['virtlab.containers'];
    const ctr = await until('the container row', async () => (await rows(tree)).find((r) => label(r.item) === NAME));
    assert.match(String(ctr.item.description), /^running/);
    const nsGroup = ctr.children.find((r) => label(r.item) === 'Namespaces');
    assert.ok(nsGroup, 'a Namespaces row');
    assert.deepEqual(nsGroup.children.map((r) => label(r.item)), NS);
    for (const r of nsGroup.children) assert.ok(String(r.item.description).startsWith(`${inodes[label(r.item)]} `), `${label(r.item)} shows inode ${inodes[label(r.item)]}: ${r.item.description}`);
    const cg = ctr.children.find((r) => label(r.item) === 'cgroup');
    assert.ok(cg && find(cg.children, (r) => label(r.item) === 'Memory limit' && r.item.description === '64 MiB'), 'memory limit 64 MiB as docker run --memory set');
  });

  it('the Namespaces tree groups every namespace of the snapshot by type', async () => {
    const snap = await api.snapshot();
    const tree = api.trees['virtlab.namespaces'];
    const top = await rows(tree, undefined, 1);
    const groups = top.filter((r) => NS.includes(label(r.item)));
    assert.deepEqual(groups.map((r) => label(r.item)), NS);
    const net = groups.find((r) => label(r.item) === 'net')!;
    // Named by its holder, the inode first in the description.
    assert.ok(net.children.some((r) => label(r.item) === `${NAME}'s network` && String(r.item.description).startsWith(`net:[${inodes.net}] `)), 'the container netns is listed by its name, with its inode');
    const total = snap.nodes.filter((n) => n.kind === 'namespace' && n.props.type === 'uts').length;
    assert.equal(groups.find((r) => label(r.item) === 'uts')!.children.length, total);
  });

  it('the Network tree shows docker0 with the container\'s host-side veth as a port', async () => {
    const tree = api.trees['virtlab.network'];
    const iflink = Number(docker('exec', NAME, 'cat', '/sys/class/net/eth0/iflink'));
    const hostIf = fs.readdirSync('/sys/class/net').find((n) => Number(fs.readFileSync(`/sys/class/net/${n}/ifindex`, 'utf8')) === iflink);
    assert.ok(hostIf, 'the host end found through /sys');
    const br = await until('docker0 with the port', async () => {
      const r = (await rows(tree)).find((x) => label(x.item) === 'docker0');
      return r && r.children.some((p) => label(p.item) === hostIf) ? r : undefined;
    });
    assert.match(String(br.item.description), /Linux bridge/);
  });

  it('Inspect Container Namespaces opens a details document with the 8 inodes', async () => {
    await vscode.commands.executeCommand('virtlab.inspectContainerNamespaces', { nodeId: `container:${id}` });
    // A rendered report: the read-only virtlab-report: document shown in the markdown preview, titled by the container's name.
    const doc = await until('the report document', () => vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'virtlab-report' && d.uri.path === `/${NAME} namespaces.md`));
    await until('the preview tab', () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.label.includes(`${NAME} namespaces`)));
    const text = doc.getText();
    assert.ok(text.includes(NAME), 'names the container');
    for (const t of NS) assert.ok(text.includes(`| **${t}** | \`${inodes[t]}\``), `${t} row with inode ${inodes[t]}`);
  });

  it('Show cgroup Limits and Usage shows the memory limit with its file', async () => {
    await vscode.commands.executeCommand('virtlab.showCgroup', { nodeId: `container:${id}` });
    const doc = await until('the cgroup report', () => vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'virtlab-report' && d.uri.path === `/${NAME} cgroup.md`));
    assert.match(doc.getText(), /\| memory limit \| 64 MiB \| `[^`]*memory\.(limit_in_bytes|max)` \|/);
  });

  it('Copy as JSON puts the container node on the clipboard', async () => {
    await vscode.commands.executeCommand('virtlab.copyAsJson', { nodeId: `container:${id}` });
    const v = JSON.parse(await vscode.env.clipboard.readText());
    assert.equal(v.id, `container:${id}`);
    assert.equal(v.props.pid, pid);
  });

  it('Open Terminal in Namespaces runs nsenter: inside, PID 1 is the container\'s process and the pid ns is the container\'s', async () => {
    const out = `vlt-ns-${process.pid}.txt`;
    const asked = NS.filter((t) => t !== 'user' && t !== 'time');
    await vscode.commands.executeCommand('virtlab.openNamespaceTerminal', { nodeId: `container:${id}`, types: asked });
    const term = await until('the nsenter terminal', () => vscode.window.terminals.find((t) => t.name.startsWith(`ns ${NAME} [`)));
    // Entered: the asked namespaces that differ from this process's own (setns into one's own is refused for user, pointless for the rest).
    const own = (t: string) => fs.readlinkSync(`/proc/self/ns/${t}`);
    const entered = asked.filter((t) => fs.readlinkSync(`/proc/${pid}/ns/${t}`) !== own(t));
    assert.ok(entered.includes('pid') && entered.includes('mnt'), `the container has its own pid and mount namespaces (${entered.join(',')})`);
    assert.ok(term.name.includes(`[${entered.join(',')}]`), `${term.name} names [${entered.join(',')}]`);
    // Inside the container's mount namespace /tmp is the container's; the host reads it through /proc/<pid>/root.
    term.sendText(`ls -l /proc/self/ns/pid > /tmp/${out}; cat /proc/1/cmdline >> /tmp/${out}; exit`);
    const text = await until('the file written inside', () => {
      try {
        const t = fs.readFileSync(`/proc/${pid}/root/tmp/${out}`, 'utf8');
        return t.includes('sleep') ? t : undefined;
      } catch {
        return undefined;
      }
    });
    assert.match(text, new RegExp(`pid:\\[${inodes.pid}\\]`));
    assert.match(text, /sleep\u0000600/);
  });

  it('Stop and Start Container change the state docker inspect reports', async () => {
    await vscode.commands.executeCommand('virtlab.stopContainer', { nodeId: `container:${id}` });
    assert.equal(docker('inspect', '-f', '{{.State.Running}}', id), 'false');
    await vscode.commands.executeCommand('virtlab.startContainer', { nodeId: `container:${id}` });
    assert.equal(docker('inspect', '-f', '{{.State.Running}}', id), 'true');
  });

  it('live updates run while a VirtLab view is visible', async () => {
    await vscode.commands.executeCommand('workbench.view.extension.virtlab');
    await until('live updates', () => api.isLive());
  });
});
