import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { buildOvsConfig } from '../../../src/core/ovs/model';
import { decodeOvsTable, decodeOvsTables, decodeOvsValue } from '../../../src/core/ovs/ovsdb';

const fx = (f: string) => readFileSync(`${__dirname}/../../fixtures/ovs/${f}`, 'utf8');
const tables = () => ['open_vswitch', 'bridge', 'port', 'interface', 'controller'].map((t) => decodeOvsTable(JSON.parse(fx(`vsctl-${t}.json`))));

describe('ovs/ovsdb: ovs-vsctl --format=json', () => {
  it('decodes uuid, set, map and atoms', () => {
    assert.equal(decodeOvsValue(['uuid', 'abc']), 'abc');
    assert.deepEqual(decodeOvsValue(['set', []]), []);
    assert.deepEqual(decodeOvsValue(['set', ['netdev', 'system']]), ['netdev', 'system']);
    assert.deepEqual(decodeOvsValue(['map', [['key', '42'], ['n', 3]]]), { key: '42', n: 3 });
    assert.equal(decodeOvsValue(7), 7);
    assert.equal(decodeOvsValue(false), false);
    assert.equal(decodeOvsValue(['map', [['k']]]), undefined);
    assert.equal(decodeOvsValue(['set', [{}]]), undefined);
    assert.equal(decodeOvsValue(['bogus', []]), undefined);
    assert.equal(decodeOvsValue(null), undefined);
  });

  it('joins the recorded tables into bridge -> ports -> interfaces', () => {
    const cfg = buildOvsConfig(tables());
    assert.deepEqual(cfg.problems, []);
    assert.equal(cfg.ovsVersion, '3.1.0');
    assert.deepEqual(cfg.datapathTypes, ['netdev', 'system']);
    assert.equal(cfg.bridges.length, 1);
    const br = cfg.bridges[0]!;
    assert.equal(br.name, 'vltfxbr');
    assert.equal(br.datapathType, 'netdev');
    assert.equal(br.failMode, 'standalone');
    assert.deepEqual(br.controllers.map((c) => c.target), ['tcp:127.0.0.1:6699']);
    assert.deepEqual(br.ports.map((p) => p.name), ['vltfxbr', 'vltfxin', 'vltfxo1', 'vltfxo2', 'vltfxvx']);
    const vx = br.ports.find((p) => p.name === 'vltfxvx')!;
    assert.equal(vx.tag, 99);
    assert.equal(vx.interfaces[0]!.type, 'vxlan');
    assert.deepEqual(vx.interfaces[0]!.options, { dst_port: '4789', key: '42', remote_ip: '10.99.0.2' });
    const o1 = br.ports.find((p) => p.name === 'vltfxo1')!;
    assert.equal(o1.tag, 10);
    assert.equal(o1.interfaces[0]!.type, 'system');
    assert.equal(o1.interfaces[0]!.ofport, 1);
    assert.equal(typeof o1.interfaces[0]!.statistics.rx_packets, 'number');
    assert.equal(br.ports.find((p) => p.name === 'vltfxbr')!.interfaces[0]!.type, 'internal');
  });

  it('splits a multi-command answer and survives broken documents and rows', () => {
    const text = [fx('vsctl-open_vswitch.json'), '{"data":[[1,2]],"headings":["a"]}', 'not json', fx('vsctl-bridge.json').slice(0, 50)].join('\n');
    const ts = decodeOvsTables(text);
    assert.equal(ts.length, 4);
    assert.ok(ts[0]);
    assert.deepEqual(ts[1], { rows: [], badRows: 1 });
    assert.equal(ts[2], undefined);
    assert.equal(ts[3], undefined);
    const cfg = buildOvsConfig(ts);
    assert.equal(cfg.bridges.length, 0);
    assert.ok(cfg.problems.some((p) => /Bridge/.test(p)));
  });

  it('reports ports and interfaces a bridge references but the tables lack', () => {
    const [ovs, br] = tables();
    const cfg = buildOvsConfig([ovs, br, { rows: [], badRows: 0 }, { rows: [], badRows: 0 }, { rows: [], badRows: 0 }]);
    assert.equal(cfg.bridges[0]!.ports.length, 0);
    assert.equal(cfg.problems.filter((p) => /not in the Port table/.test(p)).length, 5);
    assert.ok(cfg.problems.some((p) => /controller/.test(p)));
  });
});
