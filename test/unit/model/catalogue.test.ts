import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { scanOptions } from '../../../src/core/context';
import { GraphBuilder } from '../../../src/core/model/builder';
import { EDGE_PROPS, NODE_ID_PATTERN, NODE_PROPS, snapshotJsonSchema } from '../../../src/core/model/catalogue';
import type { Snapshot } from '../../../src/core/model/graph';
import { makeSriovCollector } from '../../../src/core/sriov/collector';
import type { RunResult } from '../../../src/core/sys/exec';
import { makeVmCollector } from '../../../src/core/vm/collector';
import { snapshotValidator } from '../../support/schema';

const ROOT = join(__dirname, '../../..');
const FIX = join(ROOT, 'test/fixtures');

const problems = snapshotValidator(snapshotJsonSchema());

const recorded = (file: string): RunResult => ({ ok: true, code: 0, stdout: readFileSync(join(FIX, file), 'utf8'), stderr: '' });
const failed = (why: string): RunResult => ({ ok: false, code: 1, stdout: '', stderr: why });

/** Graphs of the recorded trees (the hardware this machine lacks), built by the real readers. */
async function recordedSnapshot(): Promise<Snapshot> {
  const g = new GraphBuilder();
  const vmTools = async (tool: string, args: readonly string[]): Promise<RunResult> => {
    const a = args.filter((x) => x !== '--readonly' && x !== '--');
    if (tool === 'virsh' && a.join(' ') === 'list --all --name') return recorded('vm/virsh/list-all-name.txt');
    if (tool === 'virsh' && (a[0] === 'dominfo' || a[0] === 'domiflist')) return recorded(`vm/virsh/${a[0]}-${a[1]}.txt`);
    if (tool === 'VBoxManage' && a.join(' ') === 'list runningvms') return recorded('vm/vbox/list-runningvms.txt');
    return failed(`not recorded: ${tool} ${args.join(' ')}`);
  };
  const noQmp = async (): Promise<never> => {
    throw new Error('no QMP for a recorded tree');
  };
  await makeVmCollector({ runTool: () => vmTools, qmp: noQmp }).collect(scanOptions({ roots: { proc: join(FIX, 'vm/proc') } }), g);
  const ipLink = async (ifname: string): Promise<RunResult> => {
    try {
      return recorded(`sriov/ip/${ifname}.json`);
    } catch {
      return failed('Device does not exist.');
    }
  };
  await makeSriovCollector({ ipLink: () => ipLink }).collect(scanOptions({ roots: { sys: join(FIX, 'sriov/sys') } }), g);
  return g.build(0);
}

describe('the node-kind catalogue and the snapshot schema derived from it', () => {
  it('is draft 2020-12 with one $defs entry per node kind and per edge kind, refusing unknown props', () => {
    const s = snapshotJsonSchema() as { $schema: string; $defs: Record<string, { properties: { props: { additionalProperties?: boolean } } }> };
    assert.equal(s.$schema, 'https://json-schema.org/draft/2020-12/schema');
    const defs = Object.keys(s.$defs).sort();
    const want = [...Object.keys(NODE_PROPS).map((k) => `node:${k}`), ...Object.keys(EDGE_PROPS).map((k) => `edge:${k}`)].sort();
    assert.deepEqual(defs, want);
    for (const k of Object.keys(NODE_PROPS)) assert.equal(s.$defs[`node:${k}`]!.properties.props.additionalProperties, false, k);
  });

  it('accepts the graphs the VM and SR-IOV readers build from the recorded trees, every node and edge', async () => {
    const snap = await recordedSnapshot();
    const kinds = new Set(snap.nodes.map((n) => n.kind));
    for (const k of ['vm', 'vm-device', 'sriov-pf', 'sriov-vf'] as const) assert.ok(kinds.has(k), `the recorded trees give ${k} nodes`);
    assert.deepEqual(problems(JSON.parse(JSON.stringify(snap))), []);
  });

  it('refuses a renamed prop, a prop of the wrong type, a wrong id prefix and an unknown kind', async () => {
    const snap = JSON.parse(JSON.stringify(await recordedSnapshot())) as Snapshot;
    const vm = snap.nodes.find((n) => n.kind === 'vm')!;
    const mutate = (f: (s: Snapshot) => void): string[] => {
      const copy = JSON.parse(JSON.stringify(snap)) as Snapshot;
      f(copy);
      return problems(copy);
    };
    const at = snap.nodes.indexOf(vm);
    assert.ok(mutate((s) => {
      const p = s.nodes[at]!.props;
      p.hypervisorName = p.hypervisor;
      delete p.hypervisor;
    }).some((m) => /additionalProperties|must NOT have additional properties/.test(m)));
    assert.notDeepEqual(mutate((s) => void (s.nodes[at]!.props.vcpus = 'two')), []);
    assert.notDeepEqual(mutate((s) => void (s.nodes[at]!.id = `container:${s.nodes[at]!.id}`)), []);
    assert.notDeepEqual(mutate((s) => void ((s.nodes[at] as { kind: string }).kind = 'hypervisor')), []);
  });

  it("the README's node and edge tables name only kinds, ids and props the catalogue has, and every kind", () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const section = (title: string) => readme.split(`### ${title}`)[1]!.split(/\n#{2,3} |\n\n[^|]/)[0]!;
    const rows = (text: string) => text.split('\n').filter((l) => l.startsWith('| `')).map((l) => l.split(/(?<!\\)\|/).slice(1, -1).map((c) => c.trim()));
    const ticks = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
    // Parts of a cell that are separated by " / " outside parentheses (rows that describe two or three kinds).
    const parts = (cell: string): string[] => {
      const out: string[] = [];
      let depth = 0;
      let cur = '';
      for (let i = 0; i < cell.length; i++) {
        const ch = cell[i]!;
        if (ch === '(') depth++;
        if (ch === ')') depth--;
        if (depth === 0 && cell.startsWith(' / ', i)) {
          out.push(cur);
          cur = '';
          i += 2;
        } else cur += ch;
      }
      return [...out, cur];
    };
    const noParens = (cell: string) => cell.replace(/\([^()]*(\([^()]*\)[^()]*)*\)/g, '');
    const documented = new Set<string>();
    for (const [kindCell, idCell, propsCell] of rows(section('Node kinds and their props'))) {
      const kinds = ticks(kindCell!);
      const ids = ticks(idCell!);
      const propParts = parts(propsCell!);
      assert.equal(ids.length, kinds.length, `one id per kind in the row for ${kinds.join(', ')}`);
      kinds.forEach((kind, i) => {
        assert.ok(kind in NODE_PROPS, `README kind ${kind} is in the catalogue`);
        documented.add(kind);
        assert.equal(ids[i], NODE_ID_PATTERN[kind as keyof typeof NODE_PROPS], `id of ${kind}`);
        const shape = NODE_PROPS[kind as keyof typeof NODE_PROPS].shape as Record<string, unknown>;
        const names = ticks(noParens(propParts.length === kinds.length ? propParts[i]! : propsCell!)).filter((t) => /^[a-zA-Z]+\??$/.test(t));
        assert.ok(names.length > 0, `props listed for ${kind}`);
        for (const name of names) assert.ok(name.replace(/\?$/, '') in shape, `README prop ${kind}.${name} is in the catalogue`);
      });
    }
    assert.deepEqual([...documented].sort(), Object.keys(NODE_PROPS).sort(), 'every catalogue kind has a README row');
    const edgeKinds = rows(section('Edge kinds')).flatMap(([k]) => ticks(k!));
    assert.deepEqual([...new Set(edgeKinds)].sort(), Object.keys(EDGE_PROPS).sort(), 'README edge kinds = catalogue edge kinds');
  });
});
