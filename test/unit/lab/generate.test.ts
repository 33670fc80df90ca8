import { strict as assert } from 'node:assert';
import { generateLab, parseTopo } from '../../../src/core/lab/generate';
import { loadLab } from '../../../src/core/lab/validate';

const gen = (t: string, sw?: 'bridge' | 'ovs') => {
  const r = loadLab(generateLab(parseTopo(t), { switch: sw }));
  assert.deepEqual(r.issues, []);
  return r.lab!;
};
const edges = (lab: ReturnType<typeof gen>) => lab.links.map((l) => [l.a.node, l.b.node].sort().join('-')).sort();

describe('Mininet-style generators', () => {
  it('single,3: one switch, three hosts', () => {
    const l = gen('single,3');
    assert.deepEqual(l.switches.map((s) => s.name), ['s1']);
    assert.deepEqual(edges(l), ['h1-s1', 'h2-s1', 'h3-s1']);
  });

  it('linear,4: a chain of switches with one host each, 10.0.0.N/24 in order', () => {
    const l = gen('linear,4');
    assert.deepEqual(edges(l), ['h1-s1', 'h2-s2', 'h3-s3', 'h4-s4', 's1-s2', 's2-s3', 's3-s4']);
    assert.deepEqual(l.hosts.map((h) => h.ifaces[0].address), ['10.0.0.1/24', '10.0.0.2/24', '10.0.0.3/24', '10.0.0.4/24']);
    assert.ok(l.switches.every((s) => s.kind === 'bridge'));
  });

  it('--switch ovs gives ovs-bridge nodes', () => {
    assert.ok(gen('linear,2', 'ovs').switches.every((s) => s.kind === 'ovs-bridge'));
  });

  it('tree,2,3: Mininet TreeTopo numbering (1 + 3 switches, 9 hosts)', () => {
    const l = gen('tree,2,3');
    assert.equal(l.switches.length, 4);
    assert.equal(l.hosts.length, 9);
    assert.deepEqual(edges(l).filter((e) => e.startsWith('s')), ['s1-s2', 's1-s3', 's1-s4']);
    assert.deepEqual(edges(l).filter((e) => e.includes('s2') && e.startsWith('h')), ['h1-s2', 'h2-s2', 'h3-s2']);
  });

  it('rejects bad topology strings', () => {
    assert.throws(() => parseTopo('ring,3'), /unknown topology/);
    assert.throws(() => parseTopo('linear,0'), /N from 1/);
    assert.throws(() => parseTopo('tree,4,10'), /at most 1000 hosts/);
  });
});
