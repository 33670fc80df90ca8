import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { scanOptions } from '../../../src/core/context';
import { GraphBuilder } from '../../../src/core/model/builder';
import type { GraphNode, Snapshot } from '../../../src/core/model/graph';
import { EXTERNAL_IDS_LIMITS } from '../../../src/core/ovs/model';
import { ovsCollector } from '../../../src/core/ovs/collector';

// external_ids on a real bridge, port and interface (userspace datapath), read by the OVS collector
// and compared with what `ovs-vsctl get TABLE RECORD external_ids` prints for the same rows.
const x = (file: string, ...args: string[]) => execFileSync(file, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
const vsctl = (...args: string[]) => x('ovs-vsctl', '--timeout=20', ...args);
const BR = 'vlxib0';
const PORT = 'vlxip0';
const BIG = 'vlxib1';

function cleanup(): void {
  for (const b of [BR, BIG]) {
    try {
      vsctl('--if-exists', 'del-br', b);
    } catch {
      /* ovsdb-server busy or gone: the next run's cleanup removes it */
    }
  }
}

/** An OVSDB atom as `ovs-vsctl get` prints it: a bare word, or a string in double quotes with JSON escapes. */
function atomAt(s: string, i: number): [string, number] {
  if (s[i] !== '"') {
    const m = /^[^=,}]*/.exec(s.slice(i))![0];
    return [m, i + m.length];
  }
  let j = i + 1;
  while (s[j] !== '"') j += s[j] === '\\' ? 2 : 1;
  return [JSON.parse(s.slice(i, j + 1)) as string, j + 1];
}

/** `ovs-vsctl get T R external_ids` (`{a=b, "c d"="e"}`) as an object. */
function vsctlMap(table: string, record: string): Record<string, string> {
  const s = vsctl('get', table, record, 'external_ids').trim();
  assert.ok(s.startsWith('{') && s.endsWith('}'), s);
  const out: Record<string, string> = {};
  let i = 1;
  while (s[i] !== '}') {
    const [k, a] = atomAt(s, i);
    assert.equal(s[a], '=', `'=' after key at ${a} in ${s}`);
    const [v, b] = atomAt(s, a + 1);
    Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
    i = s.startsWith(', ', b) ? b + 2 : b;
  }
  return out;
}

async function scan(): Promise<Snapshot> {
  const g = new GraphBuilder();
  await ovsCollector.collect(scanOptions({ timeoutMs: 20000 }), g);
  return g.build(0);
}

describe('OVS external_ids on the real machine, against ovs-vsctl get', function () {
  this.timeout(120_000);
  let snap: Snapshot;
  const bridgeIds = {
    owner: 'vlx-test',
    note: 'a <b>bold</b> & "quoted" value, with = and , in it',
    'key with spaces': 'ünïcødé ☃ 𝔘 zero\u200bwidth',
    empty: '',
    script: '</script><img src=x onerror="alert(1)">',
  };
  const ifaceIds = {
    'attached-mac': '52:54:00:44:f2:dc',
    'iface-id': 'd28a71c4-dea4-4c2f-b163-54527837ea2c',
    'iface-status': 'active',
    'vm-id': '5a5db485-a120-b65e-13ef-d4455915c68e',
    'vm-uuid': '0aa2d71e-9b41-4c88-9038-e4d042b6502a',
  };
  const set = (table: string, record: string, ids: Record<string, string>) => Object.entries(ids).flatMap(([k, v]) => ['--', 'set', table, record, `external_ids:${JSON.stringify(k)}=${JSON.stringify(v)}`]);

  before(async () => {
    cleanup();
    vsctl('add-br', BR, '--', 'set', 'bridge', BR, 'datapath_type=netdev', ...set('bridge', BR, bridgeIds));
    vsctl('add-port', BR, PORT, '--', 'set', 'interface', PORT, 'type=internal', ...set('interface', PORT, ifaceIds), ...set('port', PORT, { 'vlx-port': 'p' }));
    snap = await scan();
  });
  after(cleanup);

  const bridge = (s: Snapshot, name: string) => s.nodes.find((n) => n.id === `ovs-bridge:${name}`);
  const port = (s: Snapshot, name: string) => s.nodes.find((n) => n.kind === 'ovs-port' && n.props.name === name && n.props.bridge !== undefined);
  const ifaceOf = (p: GraphNode | undefined, name: string) => (p?.props.interfaces as { name: string; externalIds: Record<string, string> }[] | undefined)?.find((i) => i.name === name);

  it('the bridge node carries exactly the external_ids `ovs-vsctl get bridge` prints', () => {
    const ref = vsctlMap('bridge', BR);
    assert.deepEqual(ref, bridgeIds, 'the independent reading sees what was set');
    assert.deepEqual(bridge(snap, BR)?.props.externalIds, ref);
    assert.equal(bridge(snap, BR)?.props.externalIdsProblem, undefined);
  });

  it('the port node carries the port external_ids, and each interface its own (libvirt/OpenStack keys)', () => {
    const p = port(snap, PORT);
    assert.ok(p, 'port found');
    assert.deepEqual(p.props.externalIds, vsctlMap('port', PORT));
    assert.deepEqual(ifaceOf(p, PORT)?.externalIds, vsctlMap('interface', PORT));
    assert.deepEqual(ifaceOf(p, PORT)?.externalIds, ifaceIds);
    // The bridge's local port has none.
    assert.deepEqual(port(snap, BR)?.props.externalIds, vsctlMap('port', BR));
    assert.deepEqual(ifaceOf(port(snap, BR), BR)?.externalIds, {});
  });

  it('a rescan follows keys added and removed', async () => {
    vsctl('set', 'interface', PORT, 'external_ids:iface-status=inactive', '--', 'remove', 'interface', PORT, 'external_ids', 'vm-uuid', '--', 'set', 'bridge', BR, 'external_ids:added=later');
    const again = await scan();
    assert.deepEqual(ifaceOf(port(again, PORT), PORT)?.externalIds, vsctlMap('interface', PORT));
    assert.equal(ifaceOf(port(again, PORT), PORT)?.externalIds['iface-status'], 'inactive');
    assert.equal(ifaceOf(port(again, PORT), PORT)?.externalIds['vm-uuid'], undefined);
    assert.deepEqual(bridge(again, BR)?.props.externalIds, vsctlMap('bridge', BR));
  });

  it('keeps the first 64 of 70 pairs and cuts a 5,000-character value, reported as skipped, not as a broken source', async () => {
    const many = Object.fromEntries(Array.from({ length: 70 }, (_, i) => [`k${String(i).padStart(2, '0')}`, `v${i}`]));
    vsctl('add-br', BIG, '--', 'set', 'bridge', BIG, 'datapath_type=netdev', ...set('bridge', BIG, { ...many, huge: 'x'.repeat(5000) }));
    const s = await scan();
    const ref = vsctlMap('bridge', BIG);
    assert.equal(Object.keys(ref).length, 71);
    const got = bridge(s, BIG)?.props.externalIds as Record<string, string>;
    assert.equal(Object.keys(got).length, EXTERNAL_IDS_LIMITS.entries);
    // OVSDB orders keys: huge, k00 … k62 are the first 64.
    for (const [k, v] of Object.entries(got)) assert.equal(v, k === 'huge' ? `${ref.huge!.slice(0, EXTERNAL_IDS_LIMITS.valueChars)}…` : ref[k], k);
    assert.equal(got.k62, 'v62');
    assert.equal(got.k63, undefined);
    const skip = s.report.skipped.filter((e) => e.source === 'ovs' && e.reason.startsWith(`bridge ${BIG}:`));
    assert.deepEqual(
      skip.map((e) => e.reason),
      [`bridge ${BIG}: external_ids 7 pairs beyond the first 64 not kept; 1 value cut to 1024 characters`],
    );
    assert.equal(bridge(s, BIG)?.props.externalIdsProblem, 'external_ids 7 pairs beyond the first 64 not kept; 1 value cut to 1024 characters');
    assert.notEqual(s.report.sources.ovs?.state, 'unavailable');
  });
});
