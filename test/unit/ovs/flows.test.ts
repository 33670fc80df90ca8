import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { parseDpifShow, parseDumpFlows, parseFdbShow, parseFlowLine } from '../../../src/core/ovs/flows';

const fx = (f: string) => readFileSync(`${__dirname}/../../fixtures/ovs/${f}`, 'utf8');

describe('ovs/flows: ovs-ofctl and ovs-appctl text', () => {
  it('parses every recorded flow with counters, table, priority, match and actions', () => {
    const { flows, unparsed } = parseDumpFlows(fx('dump-flows.txt'));
    assert.equal(unparsed, 0);
    assert.equal(flows.length, fx('dump-flows.txt').split('\n').filter((l) => l.includes('actions=')).length);
    const drop = flows.find((f) => f.actions === 'drop')!;
    assert.deepEqual({ ...drop, durationSec: typeof drop.durationSec, idleAge: typeof drop.idleAge }, {
      cookie: '0x2a', table: 0, priority: 100, nPackets: 0, nBytes: 0, durationSec: 'number', idleTimeout: undefined, hardTimeout: undefined,
      idleAge: 'number', match: 'ip,nw_dst=10.99.0.9', matchFields: ['ip', 'nw_dst=10.99.0.9'], actions: 'drop',
    });
    const normal = flows.find((f) => f.actions === 'NORMAL')!;
    assert.equal(normal.priority, 1);
    assert.equal(normal.match, '');
    assert.ok(normal.nPackets > 0 && normal.nBytes > normal.nPackets, 'the recorded ping went through NORMAL');
    const t1 = flows.find((f) => f.table === 1)!;
    assert.equal(t1.idleTimeout, 300);
    assert.equal(t1.actions, 'mod_vlan_vid:20,output:2');
    assert.deepEqual(t1.matchFields, ['in_port=1', 'dl_src=02:00:00:00:00:01']);
  });

  it('handles a flow without priority or match, and rejects junk', () => {
    const f = parseFlowLine(' cookie=0x0, duration=1.5s, table=0, n_packets=3, n_bytes=180, idle_age=1, actions=NORMAL');
    assert.equal(f?.priority, 32768);
    assert.equal(f?.match, '');
    assert.equal(f?.nPackets, 3);
    assert.equal(parseFlowLine('NXST_FLOW reply (xid=0x4):'), undefined);
    assert.equal(parseFlowLine(' cookie=0x0, duration=1s, table=0, n_packets=x, n_bytes=1, actions=drop'), undefined);
    const r = parseDumpFlows('OFPST_FLOW reply (OF1.3) (xid=0x2):\n cookie=0x0, duration=1s, table=0, n_packets=1, n_bytes=60, priority=0 actions=NORMAL\n garbage line\n cookie=0x1, dur');
    assert.equal(r.flows.length, 1);
    assert.equal(r.unparsed, 2);
  });

  it('parses the MAC table', () => {
    const { entries, unparsed } = parseFdbShow(fx('fdb-show.txt'));
    assert.equal(unparsed, 0);
    assert.equal(entries.length, 2);
    assert.ok(entries.every((e) => e.vlan === 10 && /^[0-9a-f:]{17}$/.test(e.mac) && typeof e.ageSec === 'number'));
    const r = parseFdbShow(' port  VLAN  MAC                Age\nLOCAL     0  AA:BB:CC:DD:EE:FF    ?\n  1 x y\n');
    assert.deepEqual(r.entries, [{ port: 'LOCAL', vlan: 0, mac: 'aa:bb:cc:dd:ee:ff', ageSec: undefined }]);
    assert.equal(r.unparsed, 1);
  });

  it('parses dpif/show into datapaths, bridges and ports', () => {
    const dps = parseDpifShow(fx('dpif-show.txt'));
    assert.equal(dps.length, 1);
    assert.equal(dps[0]!.type, 'netdev');
    assert.equal(dps[0]!.name, 'ovs-netdev');
    assert.equal(dps[0]!.bridges[0]!.name, 'vltfxbr');
    const ports = dps[0]!.bridges[0]!.ports;
    assert.deepEqual(ports.map((p) => p.name).sort(), ['vltfxbr', 'vltfxin', 'vltfxo1', 'vltfxo2', 'vltfxvx']);
    assert.equal(ports.find((p) => p.name === 'vltfxvx')!.type, 'vxlan: key=42, remote_ip=10.99.0.2');
    assert.deepEqual(parseDpifShow(''), []);
    assert.deepEqual(parseDpifShow('    orphan 1/2: (tap)\n'), []);
  });
});
