import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { buildOvsConfig, EXTERNAL_IDS_LIMITS } from '../../../src/core/ovs/model';
import { decodeOvsTable, decodeOvsTables, decodeOvsValue, stringMap, type OvsRow } from '../../../src/core/ovs/ovsdb';

const fx = (f: string) => readFileSync(`${__dirname}/../../fixtures/ovs/${f}`, 'utf8');
const tables = () => ['open_vswitch', 'bridge', 'port', 'interface', 'controller'].map((t) => decodeOvsTable(JSON.parse(fx(`vsctl-${t}.json`))));

describe('ovs/ovsdb: ovs-vsctl --format=json', () => {
  it('decodes uuid, set, map and atoms', () => {
    assert.equal(decodeOvsValue(['uuid', 'abc']), 'abc');
    assert.deepEqual(decodeOvsValue(['set', []]), []);
    assert.deepEqual(decodeOvsValue(['set', ['netdev', 'system']]), ['netdev', 'system']);
    assert.deepEqual(decodeOvsValue(['map', [['key', '42'], ['n', 3]]]), { pairs: [['key', '42'], ['n', 3]] });
    assert.deepEqual(decodeOvsValue(['map', []]), { pairs: [] });
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
    // Recorded with empty external_ids everywhere.
    assert.deepEqual([br.externalIds, ...br.ports.flatMap((p) => [p.externalIds, ...p.interfaces.map((i) => i.externalIds)])], Array(11).fill({}));
    assert.deepEqual(cfg.trimmed, []);
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

describe('ovs/ovsdb: external_ids', () => {
  // One real `ovs-vsctl --format=json -- list ... ` answer (the columns read.ts asks for), recorded
  // from bridges made for it: vlxbr0 with ports vlxp0 (libvirt/OpenStack-style interface ids) and
  // vlxp1; vlxbr1 with 70 short pairs, a 5,000-character value, a 300-character key and a value of
  // 1,023 snowmen and one astral character.
  const recorded = () => buildOvsConfig(decodeOvsTables(fx('vsctl-external-ids.jsonl')));
  const row = (ids: unknown): OvsRow => decodeOvsTable({ headings: ['name', 'external_ids'], data: [['r', ids]] })!.rows[0]!;

  it('reads bridge, port and interface external_ids from the recorded answer, as ovs-vsctl set them', () => {
    const cfg = recorded();
    assert.deepEqual(cfg.problems, []);
    const br0 = cfg.bridges.find((b) => b.name === 'vlxbr0')!;
    assert.deepEqual(br0.externalIds, { note: 'a <b>bold</b> & "quoted" value', owner: 'vlx-recording' });
    assert.equal(br0.externalIdsProblem, undefined);
    const p0 = br0.ports.find((p) => p.name === 'vlxp0')!;
    assert.deepEqual(p0.externalIds, { empty: '', 'ünï☃': 'zero\u200bwidth' });
    assert.deepEqual(p0.interfaces[0]!.externalIds, {
      'attached-mac': '52:54:00:44:f2:dc',
      'iface-id': 'd28a71c4-dea4-4c2f-b163-54527837ea2c',
      'iface-status': 'active',
      'vm-id': '5a5db485-a120-b65e-13ef-d4455915c68e',
      'vm-uuid': '0aa2d71e-9b41-4c88-9038-e4d042b6502a',
    });
    assert.deepEqual(br0.ports.find((p) => p.name === 'vlxp1')!.externalIds, {});
  });

  it('bounds a huge external_ids: count, key and value length, reported as trimmed, never thrown', () => {
    const cfg = recorded();
    const br1 = cfg.bridges.find((b) => b.name === 'vlxbr1')!;
    const keys = Object.keys(br1.externalIds);
    assert.equal(keys.length, EXTERNAL_IDS_LIMITS.entries);
    // OVSDB sorts keys: the 300-character key is dropped, then the first 64 of the rest are kept.
    assert.deepEqual(keys.slice(0, 3), ['a-snow', 'huge', 'k00']);
    assert.equal(keys.at(-1), 'k61');
    assert.equal(br1.externalIds.huge, `${'x'.repeat(EXTERNAL_IDS_LIMITS.valueChars)}…`);
    // 1,023 snowmen then a surrogate pair: cut before the pair, never through it.
    assert.equal(br1.externalIds['a-snow'], `${'☃'.repeat(1023)}…`);
    assert.equal(br1.externalIds.k05, 'v05');
    assert.equal(br1.externalIdsProblem, 'external_ids 1 key longer than 256 characters dropped; 8 pairs beyond the first 64 not kept; 2 values cut to 1024 characters');
    assert.deepEqual(cfg.trimmed, [`bridge vlxbr1: ${br1.externalIdsProblem}`]);
    assert.deepEqual(cfg.problems, [], 'a cap is not a read problem');
  });

  it('an empty map, an absent column and an empty set are all "none"', () => {
    const L = EXTERNAL_IDS_LIMITS;
    assert.deepEqual(stringMap(row(['map', []]), 'external_ids', L), { value: {}, notAMap: false, wrongType: 0, overCount: 0, longKeys: 0, cutValues: 0 });
    assert.deepEqual(stringMap(row(['set', []]), 'external_ids', L).value, {});
    assert.equal(stringMap(row(['set', []]), 'external_ids', L).notAMap, false);
    assert.deepEqual(stringMap({ name: 'r' }, 'external_ids', L).value, {});
  });

  it('drops pairs whose key or value is not a string, and a column that is not a map', () => {
    const L = EXTERNAL_IDS_LIMITS;
    const m = stringMap(row(['map', [[1, 'one'], ['n', 2], ['b', true], ['u', ['uuid', '7e6d4ae0-8c73-4dbb-841f-6bd78ec0b6e8']], ['ok', 'yes']]]), 'external_ids', L);
    // A uuid atom decodes to a string, as OVSDB means it.
    assert.deepEqual(m.value, { u: '7e6d4ae0-8c73-4dbb-841f-6bd78ec0b6e8', ok: 'yes' });
    assert.equal(m.wrongType, 3);
    for (const notMap of [['set', ['a', 'b']], 'text', 5, false]) {
      const r = stringMap(row(notMap), 'external_ids', L);
      assert.deepEqual(r.value, {});
      assert.equal(r.notAMap, true, JSON.stringify(notMap));
    }
  });

  it('keeps hostile keys as own properties (no prototype pollution) and the text byte for byte', () => {
    const m = stringMap(row(['map', [['__proto__', '{"polluted":1}'], ['constructor', 'x'], ['</script>', '<img src=x onerror=alert(1)>']]]), 'external_ids', EXTERNAL_IDS_LIMITS);
    assert.deepEqual(Object.keys(m.value), ['__proto__', 'constructor', '</script>']);
    assert.equal(Object.getPrototypeOf(m.value), Object.prototype);
    assert.equal(m.value['</script>'], '<img src=x onerror=alert(1)>');
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(JSON.parse(JSON.stringify(m.value)).__proto__, '{"polluted":1}');
  });

  it('caps a 10 MB value and 100,000 pairs by the limits', () => {
    const pairs = Array.from({ length: 100_000 }, (_, i) => [`k${String(i).padStart(6, '0')}`, 'v']);
    pairs.unshift(['big', 'y'.repeat(10 << 20)]);
    const m = stringMap(row(['map', pairs]), 'external_ids', EXTERNAL_IDS_LIMITS);
    assert.equal(Object.keys(m.value).length, 64);
    assert.equal(m.value.big!.length, EXTERNAL_IDS_LIMITS.valueChars + 1);
    assert.equal(m.overCount, 100_000 - 63);
    assert.equal(m.cutValues, 1);
  });

  it('an undecodable external_ids cell loses only that cell, reported; an undecodable name loses the row', () => {
    const t = decodeOvsTable({ headings: ['name', 'external_ids'], data: [['a', ['map', 'x']], ['b', ['map', [['k', 'v']]]], [['bogus', 1], ['map', []]]] })!;
    assert.deepEqual(t.rows, [{ name: 'a' }, { name: 'b', external_ids: { pairs: [['k', 'v']] } }]);
    assert.equal(t.badRows, 1);
    assert.deepEqual(t.badCells, { external_ids: 1 });
    // Through the whole config: the bridge stays, and the lost cell is a problem.
    const lines = fx('vsctl-external-ids.jsonl').split('\n');
    lines[1] = lines[1]!.replace('["map",[["note"', '["map",[["note",["set",[{}]]],["x"');
    const cfg = buildOvsConfig(decodeOvsTables(lines.join('\n')));
    assert.deepEqual(cfg.bridges.map((b) => b.name), ['vlxbr0', 'vlxbr1']);
    assert.deepEqual(cfg.bridges[0]!.externalIds, {});
    assert.deepEqual(cfg.problems, ['table Bridge: external_ids of 1 row could not be decoded (left out)']);
  });

  it('reports a wrong-typed external_ids as a problem naming the row', () => {
    const lines = fx('vsctl-external-ids.jsonl').split('\n');
    lines[3] = lines[3]!.replace('["map",[["attached-mac","52:54:00:44:f2:dc"]', '["map",[["attached-mac",42]');
    const cfg = buildOvsConfig(decodeOvsTables(lines.join('\n')));
    const i = cfg.bridges[0]!.ports.find((p) => p.name === 'vlxp0')!.interfaces[0]!;
    assert.equal(i.externalIds['attached-mac'], undefined);
    assert.equal(i.externalIds['iface-id'], 'd28a71c4-dea4-4c2f-b163-54527837ea2c');
    assert.deepEqual(cfg.problems, ['interface vlxp0: external_ids 1 pair whose key or value is not a string dropped']);
  });
});
