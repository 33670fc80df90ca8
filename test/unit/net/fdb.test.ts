import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { parseFdb } from '../../../src/core/net/fdb';

const fx = (f: string) => readFileSync(`${__dirname}/../../fixtures/net/${f}`, 'utf8');

describe('net/fdb: bridge -j fdb show', () => {
  it('keeps only entries of the given bridges, with learned vs permanent', () => {
    const r = parseFdb(fx('bridge-fdb-vltfxa.json'), new Set(['vltbr']));
    assert.ok(!('error' in r));
    const raw = JSON.parse(fx('bridge-fdb-vltfxa.json')) as { master?: string }[];
    assert.equal(r.entries.length, raw.filter((e) => e.master === 'vltbr').length);
    assert.ok(r.entries.length > 0);
    assert.ok(r.entries.every((e) => e.bridge === 'vltbr'));
    const learned = r.entries.filter((e) => !e.permanent);
    // vltfxb pinged vltfxc across the bridge, so both far ends were learned on their ports.
    assert.deepEqual([...new Set(learned.map((e) => e.port))].sort(), ['vltp1', 'vltp2']);
    // each port's own MAC is a permanent (local) entry
    for (const p of ['vltp1', 'vltp2']) assert.ok(r.entries.some((e) => e.permanent && e.port === p), p);
  });

  it('ignores other bridges and devices without a master', () => {
    const r = parseFdb(fx('bridge-fdb-host.json'), new Set(['nosuchbr']));
    assert.ok(!('error' in r));
    assert.equal(r.entries.length, 0);
  });

  it('reports broken input', () => {
    assert.ok('error' in parseFdb('[{"mac":', new Set(['br'])));
    assert.ok('error' in parseFdb('{}', new Set(['br'])));
    const r = parseFdb(JSON.stringify([1, { mac: 5, ifname: 'p' }, { mac: 'AA:BB:CC:DD:EE:FF', ifname: 'p', master: 'br', flags: 'x', state: 'static', vlan: 3 }]), new Set(['br']));
    assert.ok(!('error' in r));
    assert.equal(r.problems, 2);
    assert.deepEqual(r.entries, [{ mac: 'aa:bb:cc:dd:ee:ff', port: 'p', bridge: 'br', vlan: 3, permanent: true, self: false, state: 'static' }]);
  });
});
