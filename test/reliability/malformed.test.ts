// Reliability, category 1: malformed input. Recorded inputs (fixture trees and tool output recorded on
// real machines, and one QMP conversation recorded from this machine's QEMU) are mutated
// deterministically and fed through the real entry points: the collectors with their roots pointing
// at a mutated copy of a recorded tree, and the parse functions for tool output. Crashes (an
// exception escaping, a hang past the deadline) must be 0; every other case either parsed or was
// reported (a skip, a non-ok source, an `error`/`issues`/`unparsed`/`bad` in the result).
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Collector } from '../../src/core/collector';
import { scanOptions, type ScanOptions } from '../../src/core/context';
import { normaliseContainerInspect, normaliseContainerList } from '../../src/core/docker/container-json';
import { parseEventLine } from '../../src/core/docker/event-json';
import { normaliseImageInspect, normaliseImageList } from '../../src/core/docker/image-json';
import { loadLab } from '../../src/core/lab/validate';
import type { Snapshot } from '../../src/core/model/graph';
import { normaliseDockerNetwork } from '../../src/core/net/dockerNetworks';
import { parseFdb } from '../../src/core/net/fdb';
import { parseIpLinks } from '../../src/core/net/links';
import { parseNsidList } from '../../src/core/net/netns';
import { parseDpifShow, parseDumpFlows, parseFdbShow } from '../../src/core/ovs/flows';
import { buildOvsConfig } from '../../src/core/ovs/model';
import { decodeOvsTables } from '../../src/core/ovs/ovsdb';
import { createProcCollector } from '../../src/core/proc/collector';
import { parseLsnsJson } from '../../src/core/proc/lsns';
import { takeSnapshot } from '../../src/core/scan';
import { makeSriovCollector } from '../../src/core/sriov/collector';
import { parseIpLinkVfs, type IpLinkReader } from '../../src/core/sriov/vfinfo';
import { detectCgroupLayout } from '../../src/core/cgroup/layout';
import { readProcCgroups } from '../../src/core/cgroup/membership';
import { readCgroupStats } from '../../src/core/cgroup/stats';
import { makeVmCollector } from '../../src/core/vm/collector';
import { QmpError, queryQmp } from '../../src/core/vm/qmp';
import { Counts, runCase, snapshotOutcome, type Outcome } from './corpus/cases';
import { jsonMutants, rng, textMutants, type Mutant } from './corpus/mutate';
import { add } from './tally';

const FIX = path.resolve(__dirname, '../fixtures');
const SEED = 9001;
/** Generous: the machine is shared and slow; a real hang never ends. */
const DEADLINE = 30000;
const counts = new Counts();

let work = '';
before(() => {
  work = mkdtempSync(path.join(tmpdir(), 'vlr9a-malformed-'));
});
after(() => {
  if (work) rmSync(work, { recursive: true, force: true });
  const by = Object.fromEntries([...counts.by].map(([k, c]) => [k, c.parsed + c.reported + c.crash + c.hang]));
  add('malformed-input', {
    tried: counts.total(),
    failed: counts.total('crash') + counts.total('hang'),
    survived: counts.total('parsed') + counts.total('reported'),
    extra: { parsed: counts.total('parsed'), 'reported skip/issue': counts.total('reported'), crashes: counts.total('crash'), hangs: counts.total('hang'), readers: Object.keys(by).length, seed: SEED },
  });
  console.log(`      malformed input, seed ${SEED}:`);
  for (const [k, c] of counts.by) console.log(`        ${k.padEnd(26)} parsed ${c.parsed}, reported ${c.reported}, crash ${c.crash}, hang ${c.hang}`);
});

/** Regular files of a tree (symlinks stay as recorded: they are the ns links and sysfs links). */
function filesOf(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const e of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const r = path.join(rel, e.name);
    if (e.isDirectory()) out.push(...filesOf(dir, r));
    else if (e.isFile()) out.push(r);
  }
  return out.sort();
}

function sample<T>(r: () => number, xs: T[], n: number): T[] {
  const copy = [...xs];
  const out: T[] = [];
  while (copy.length && out.length < n) out.push(copy.splice(Math.floor(r() * copy.length), 1)[0]!);
  return out;
}

/**
 * Mutate files of a copy of `src` one at a time (each restored afterwards), plus structural
 * mutations (file gone, file turned into a directory, a symlink loop, one huge file, many entries),
 * and run `scan(root)` on each. Returns the number of cases.
 */
async function treeCases(reader: string, src: string, scan: (root: string) => Promise<Snapshot>, opts: { files: number; many?: (root: string) => void }): Promise<void> {
  const root = path.join(work, reader);
  cpSync(src, root, { recursive: true, verbatimSymlinks: true });
  const baseline = await scan(root);
  const r = rng(SEED + reader.length);
  const chosen = sample(r, filesOf(root), opts.files);
  const one = async (label: string) => counts.add(reader, label, await runCase(() => scan(root), (s) => snapshotOutcome(s, baseline), DEADLINE));
  for (const [i, rel] of chosen.entries()) {
    const file = path.join(root, rel);
    const orig = readFileSync(file);
    // The first chosen file also gets the 50 MB line.
    for (const m of textMutants(r, orig.toString('latin1'), { huge: i === 0 })) {
      writeFileSync(file, Buffer.from(m.text, 'latin1'));
      await one(`${rel} ${m.kind}: ${m.what}`);
    }
    unlinkSync(file);
    await one(`${rel} missing`);
    mkdirSync(file);
    await one(`${rel} is a directory`);
    rmSync(file, { recursive: true });
    symlinkSync(path.basename(file), file); // points at itself: ELOOP
    await one(`${rel} symlink loop`);
    unlinkSync(file);
    writeFileSync(file, orig);
  }
  if (opts.many) {
    opts.many(root);
    await one('100k-scale entries');
  }
}

/**
 * `it`, failing the case itself when one of its inputs crashed or hung the reader: the crash is
 * reported on the test that caused it, not on a summary test at the end.
 */
function itChecked(title: string, fn: () => Promise<void>): void {
  it(title, async () => {
    const seen = counts.failures.length;
    await fn();
    assert.deepEqual(counts.failures.slice(seen), [], `${title}: inputs that crashed or hung a reader`);
  });
}

describe('malformed input: recorded trees, mutated, through the readers', function () {
  this.timeout(1800000);

  const procOpts = (root: string): ScanOptions => scanOptions({ roots: { proc: root, cgroup: path.join(FIX, 'cgroup/hybrid/cgroup') }, path: '/nonexistent', timeoutMs: 2000 });
  const snap = (c: Collector, o: ScanOptions) => takeSnapshot(o, [c]);

  itChecked('/proc tree (processes, namespaces, nsfs mounts, status, cmdline, cgroup membership)', async () => {
    await treeCases('proc', path.join(FIX, 'proc/basic'), (root) => snap(createProcCollector({ lsns: false, uid: 0 }), procOpts(root)), {
      files: 14,
      // 20k process directories, each a copy of pid 2's files (kthreadd: status + ns links).
      many: (root) => {
        for (let i = 0; i < 20000; i++) cpSync(path.join(root, '2'), path.join(root, String(100000 + i)), { recursive: true, verbatimSymlinks: true });
      },
    });
  });

  for (const layout of ['v1', 'v2', 'hybrid']) {
    itChecked(`cgroup ${layout} tree (layout detection, membership, limits and usage of every pid)`, async () => {
      // The cgroup readers report a bad value as undefined: a case where some value went from
      // defined to undefined (or the layout changed) is "reported"; the graph's scan report is the
      // proc collector's, exercised above with the hybrid tree.
      const statsOf = async (root: string): Promise<Snapshot> => {
        const roots = scanOptions({ roots: { proc: `${root}/proc`, cgroup: `${root}/cgroup` } }).roots;
        const layoutR = await detectCgroupLayout(roots);
        const skipped: Snapshot['report']['skipped'] = [];
        for (const pid of readdirSync(roots.proc).filter((d) => /^\d+$/.test(d))) {
          const stats = await readCgroupStats(roots, layoutR, await readProcCgroups(roots.proc, Number(pid)));
          for (const [k, v] of Object.entries(stats)) if (v === undefined) skipped.push({ source: 'cgroup', path: `${pid}/${k}`, reason: 'undefined' });
        }
        return { version: 1, takenAt: '', nodes: [], edges: [], report: { durationMs: 0, skipped, sources: { cgroup: { state: layoutR.kind === 'none' ? 'absent' : 'ok', detail: layoutR.kind } } } };
      };
      await treeCases(`cgroup-${layout}`, path.join(FIX, 'cgroup', layout), statsOf, { files: 10 });
    });
  }

  itChecked('SR-IOV sysfs tree (PFs, VFs, drivers, ip vfinfo)', async () => {
    const replay: IpLinkReader = async (ifname) => {
      try {
        return { ok: true, code: 0, stdout: readFileSync(path.join(FIX, 'sriov/ip', `${ifname}.json`), 'utf8'), stderr: '' };
      } catch {
        return { ok: false, code: 1, stdout: '', stderr: `Device "${ifname}" does not exist.` };
      }
    };
    const c = makeSriovCollector({ ipLink: () => replay });
    await treeCases('sriov', path.join(FIX, 'sriov/sys'), (root) => snap(c, scanOptions({ roots: { sys: root } })), { files: 16 });
  });

  itChecked('QEMU process tree (command lines of VMs, their fds and threads)', async () => {
    const noTools = makeVmCollector({
      runTool: () => async (tool) => ({ ok: false, code: null, stdout: '', stderr: `${tool} not found`, error: 'ENOENT' }),
      qmp: async () => {
        throw new QmpError('recorded tree', 'ENOENT');
      },
    });
    await treeCases('vm-proc', path.join(FIX, 'vm/proc'), (root) => snap(noTools, scanOptions({ roots: { proc: root }, timeoutMs: 2000 })), { files: 10 });
  });
});

/** Text or JSON tool output through its parse function; `reported` decides parsed vs reported. */
async function parserCases(reader: string, mutants: Mutant[], parse: (text: string) => unknown, reported: (v: unknown) => boolean): Promise<void> {
  for (const m of mutants) {
    const res = await runCase(() => parse(m.text), (v): Outcome => (reported(v) ? 'reported' : 'parsed'), DEADLINE);
    counts.add(reader, `${m.kind}: ${m.what}`, res);
  }
}

/** docker-modem parses the API's JSON before VirtLab sees it; only mutants that are JSON reach the normalisers. */
const jsonOnly = (ms: Mutant[]): Mutant[] =>
  ms.filter((m) => {
    try {
      JSON.parse(m.text);
      return true;
    } catch {
      return false;
    }
  });

const rec = (rel: string) => readFileSync(path.join(FIX, rel), 'utf8');
const isErr = (v: unknown) => v === undefined || (typeof v === 'object' && v !== null && ('error' in v || ((v as { unparsed?: number }).unparsed ?? 0) > 0 || ((v as { bad?: number }).bad ?? 0) > 0 || ((v as { problems?: number }).problems ?? 0) > 0));

describe('malformed input: tool output and API answers, mutated, through the parsers', function () {
  this.timeout(1800000);

  itChecked('`ip -j -d addr show` (links, addresses, veth, vxlan)', async () => {
    for (const f of ['net/ip-addr-host.json', 'net/ip-addr-vltfxa.json', 'net/ip-addr-host-ovs.json']) {
      await parserCases('ip -j addr', jsonMutants(rng(SEED), JSON.parse(rec(f)), { huge: f.endsWith('host.json') }), parseIpLinks, isErr);
    }
  });

  itChecked('`ip -j link show` (SR-IOV vfinfo), `ip -j netns list-id`, `bridge -j fdb`', async () => {
    await parserCases('ip -j link vfinfo', jsonMutants(rng(SEED + 1), JSON.parse(rec('sriov/ip/ens1f0.json')), { huge: true }), parseIpLinkVfs, isErr);
    await parserCases('ip -j netns list-id', jsonMutants(rng(SEED + 2), JSON.parse(rec('net/netns-list-id-vltfxa.json')), { huge: true }), parseNsidList, (v) => (v as Map<number, string>).size === 0);
    const bridges = new Set(['docker0', 'vltfxab0', 'br0']);
    await parserCases('bridge -j fdb', jsonMutants(rng(SEED + 3), JSON.parse(rec('net/bridge-fdb-host.json')), { huge: true }), (t) => parseFdb(t, bridges), isErr);
  });

  itChecked('`ovs-vsctl --format=json list` of every table, and the config built from them', async () => {
    const tables = ['open_vswitch', 'bridge', 'port', 'interface', 'controller'].map((t) => JSON.parse(rec(`ovs/vsctl-${t}.json`)));
    for (const [i, t] of tables.entries()) {
      // ovs-vsctl prints one JSON document per table, one per line; mutate one table at a time.
      const mutants = jsonMutants(rng(SEED + 10 + i), t, { huge: i === 3 });
      await parserCases('ovs-vsctl --format=json', mutants, (text) => {
        const docs = tables.map((x, j) => (j === i ? text.replace(/\n/g, ' ') : JSON.stringify(x)));
        const decoded = decodeOvsTables(docs.join('\n'));
        return { decoded, config: buildOvsConfig(decoded) };
      }, (v) => (v as { decoded: unknown[] }).decoded.some((x) => x === undefined));
    }
  });

  itChecked('`ovs-vsctl --format=json` with external_ids on bridges, ports and interfaces (one recorded answer)', async () => {
    // The five documents of one real call: Bridge (70+ pairs on vlxbr1), Port and Interface (libvirt-style ids) mutated.
    const docs = rec('ovs/vsctl-external-ids.jsonl').trim().split('\n').map((l) => JSON.parse(l) as unknown);
    for (const i of [1, 2, 3]) {
      const mutants = jsonMutants(rng(SEED + 15 + i), docs[i], { huge: i === 1 });
      await parserCases('ovs-vsctl external_ids', mutants, (text) => {
        const decoded = decodeOvsTables(docs.map((x, j) => (j === i ? text.replace(/\n/g, ' ') : JSON.stringify(x))).join('\n'));
        return { decoded, config: buildOvsConfig(decoded) };
      }, (v) => (v as { decoded: unknown[] }).decoded.some((x) => x === undefined) || (v as { config: { problems: string[] } }).config.problems.length > 0);
    }
  });

  itChecked('`ovs-ofctl dump-flows`, `ovs-appctl fdb/show`, `ovs-appctl dpif/show` text', async () => {
    const flows = rec('ovs/dump-flows.txt');
    const flowMutants = textMutants(rng(SEED + 20), flows, { huge: true });
    flowMutants.push({ kind: 'huge', what: '100k flow lines', text: Array.from({ length: 100000 }, (_, i) => flows.split('\n')[1 + (i % 2)] ?? '').join('\n') });
    flowMutants.push({ kind: 'deep-nesting', what: 'actions nested 10k parentheses', text: ` cookie=0x0, duration=1s, table=0, n_packets=1, n_bytes=2, priority=1 actions=${'('.repeat(10000)}${')'.repeat(10000)}\n` });
    await parserCases('ovs-ofctl dump-flows', flowMutants, parseDumpFlows, isErr);
    await parserCases('ovs-appctl fdb/show', textMutants(rng(SEED + 21), rec('ovs/fdb-show.txt'), { huge: true }), parseFdbShow, isErr);
    await parserCases('ovs-appctl dpif/show', textMutants(rng(SEED + 22), rec('ovs/dpif-show.txt'), { huge: true }), parseDpifShow, (v) => (v as unknown[]).length === 0);
  });

  itChecked('`lsns -J` output', async () => {
    await parserCases('lsns -J', jsonMutants(rng(SEED + 30), JSON.parse(rec('proc/bin/lsns.json')), { huge: true }), parseLsnsJson, (v) => v === undefined);
  });

  itChecked('Docker API answers (container list and inspect, image list and inspect, networks, events)', async () => {
    await parserCases('docker containers/json', jsonOnly(jsonMutants(rng(SEED + 40), JSON.parse(rec('docker/containers-list.json')), { huge: true })), (t) => normaliseContainerList(JSON.parse(t)), isErr);
    for (const name of ['web', 'hostpid', 'exited']) {
      await parserCases('docker containers/inspect', jsonOnly(jsonMutants(rng(SEED + 41), JSON.parse(rec(`docker/container-${name}.json`)), { huge: name === 'web' })), (t) => normaliseContainerInspect(JSON.parse(t)), (v) => v === undefined);
    }
    await parserCases('docker images/json', jsonOnly(jsonMutants(rng(SEED + 42), JSON.parse(rec('docker/images-list.json')), { huge: true })), (t) => normaliseImageList(JSON.parse(t)), isErr);
    await parserCases('docker images/inspect', jsonOnly(jsonMutants(rng(SEED + 43), JSON.parse(rec('docker/image-busybox.json')), {})), (t) => normaliseImageInspect(JSON.parse(t)), (v) => v === undefined);
    const nets = JSON.parse(rec('net/docker-networks.json')) as unknown[];
    await parserCases('docker networks', jsonOnly(jsonMutants(rng(SEED + 44), nets[0], { huge: true })), (t) => normaliseDockerNetwork(JSON.parse(t)), (v) => v === undefined);
    const events = rec('docker/events.jsonl').split('\n').filter(Boolean);
    await parserCases('docker /events line', sample(rng(SEED + 45), events, 4).flatMap((l) => jsonMutants(rng(SEED + 46), JSON.parse(l), { huge: true })), parseEventLine, (v) => v === undefined);
  });

  itChecked('QMP replies, served on a real unix socket, through queryQmp', async () => {
    const recorded = JSON.parse(readFileSync(path.join(__dirname, 'corpus/qmp-replies.json'), 'utf8')) as Record<string, unknown>;
    const dir = mkdtempSync(path.join(tmpdir(), 'vlr9a-qmp-'));
    try {
      const r = rng(SEED + 50);
      for (const key of Object.keys(recorded)) {
        for (const m of jsonMutants(r, recorded[key], { huge: key === 'query-cpus-fast', perKind: 6 })) {
          const sock = path.join(dir, 'q.sock');
          const srv = await qmpPeer(sock, recorded, key, m.text);
          // A short per-call timeout: cut or garbage replies must end in QmpError quickly, never hang.
          const res = await runCase(() => queryQmp(sock, 1500), (v) => (v.errors.length ? 'reported' : 'parsed'), DEADLINE, (e) => e instanceof QmpError);
          counts.add('QMP replies', `${key} ${m.kind}: ${m.what}`, res);
          await new Promise((res2) => srv.close(res2));
          rmSync(sock, { force: true });
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  itChecked('lab files (YAML)', async () => {
    const labs = readdirSync(path.join(FIX, 'lab')).filter((f) => f.endsWith('.vlab.yaml'));
    const r = rng(SEED + 60);
    const mutants: Mutant[] = [];
    for (const f of labs) mutants.push(...textMutants(r, rec(`lab/${f}`), { huge: f === 'tenants.vlab.yaml' }));
    const base = rec('lab/tenants.vlab.yaml');
    mutants.push(
      { kind: 'deep-nesting', what: '100k nested flow sequences', text: `name: x\ntopology: ${'['.repeat(100000)}${']'.repeat(100000)}\n` },
      { kind: 'deep-nesting', what: '5k nested block mappings', text: `name: x\ntopology:\n${Array.from({ length: 5000 }, (_, i) => `${' '.repeat(i + 1)}k${i}:`).join('\n')} 1\n` },
      { kind: 'huge', what: '100k nodes', text: `name: big\ntopology:\n  nodes:\n${Array.from({ length: 100000 }, (_, i) => `    h${i}: { kind: host }`).join('\n')}\n  links: []\n` },
      { kind: 'huge', what: 'billion laughs (alias expansion)', text: `a: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f,*f]\nname: *g\ntopology: *g\n` },
      { kind: 'wrong-types', what: 'a JSON lab with numbers for names', text: '{"name": 1, "topology": {"nodes": {"1": {"kind": 2}}, "links": [[1, 2]]}}' },
      { kind: 'unexpected-fields', what: 'YAML tags and merge keys', text: `${base}\nextra: !!binary aGVsbG8=\n<<: {x: 1}\n` },
      { kind: 'binary-garbage', what: 'UTF-16 BOM and NULs', text: '\ufeff\u0000n\u0000a\u0000m\u0000e' },
    );
    await parserCases('lab files (YAML)', mutants, loadLab, (v) => (v as { issues: unknown[] }).issues.length > 0);
  });

  it('tried more than 1,000 malformed inputs in all', () => {
    console.log(`      ${counts.total()} cases: ${counts.total('parsed')} parsed, ${counts.total('reported')} reported`);
    assert.ok(counts.total() > 1000, `tried ${counts.total()}`);
    assert.deepEqual(counts.failures, []);
  });
});

/** A QMP peer answering from the recorded conversation, with `key`'s reply replaced by `text`. */
function qmpPeer(sock: string, recorded: Record<string, unknown>, key: string, text: string): Promise<Server> {
  const line = (v: unknown) => `${JSON.stringify(v)}\r\n`;
  const srv = createServer((s) => {
    s.on('error', () => undefined);
    s.write(key === 'greeting' ? `${text}\r\n` : line(recorded.greeting));
    let buf = '';
    s.on('data', (d) => {
      buf += d.toString();
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        let cmd = '';
        let id: unknown;
        try {
          ({ execute: cmd = '', id } = JSON.parse(buf.slice(0, nl)) as { execute?: string; id?: unknown });
        } catch {
          /* the client never sends bad JSON; ignore */
        }
        buf = buf.slice(nl + 1);
        // Replies carry the request's id; a mutated reply gets it too when it is still an object.
        if (cmd !== key) s.write(line({ ...((recorded[cmd] as object) ?? { error: { class: 'CommandNotFound', desc: cmd } }), id }));
        else s.write(`${withId(text, id)}\r\n`);
      }
    });
  });
  return new Promise((res) => srv.listen(sock, () => res(srv)));
}

function withId(text: string, id: unknown): string {
  try {
    const v: unknown = JSON.parse(text);
    if (v && typeof v === 'object' && !Array.isArray(v)) return JSON.stringify({ ...v, id });
  } catch {
    /* not JSON: sent as it is */
  }
  return text;
}

