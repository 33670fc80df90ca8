import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadLab } from '../../../src/core/lab/validate';

const FX = path.join(__dirname, '../../fixtures/lab');
const load = (f: string) => loadLab(readFileSync(path.join(FX, f), 'utf8'));
const brief = (f: string) => load(f).issues.map((i) => `${i.line}: ${i.message}`);

describe('lab file checks (line numbers and fixes)', () => {
  it('an endpoint naming an unknown node: line, message and a "did you mean"', () => {
    const r = load('bad-unknown-node.vlab.yaml');
    assert.equal(r.lab, undefined);
    assert.equal(r.issues.length, 1);
    assert.equal(r.issues[0].line, 9);
    assert.match(r.issues[0].message, /unknown node "sw1"/);
    assert.match(r.issues[0].fix!, /did you mean "s1"/);
  });

  it('a duplicate interface names the line of the first use', () => {
    const r = load('bad-duplicate-iface.vlab.yaml');
    assert.deepEqual(brief('bad-duplicate-iface.vlab.yaml'), ['10: interface h1:eth0 is already used by the link on line 8']);
    assert.match(r.issues[0].fix!, /h1:eth1/);
  });

  it('an interface name over 15 bytes', () => {
    const r = load('bad-long-name.vlab.yaml');
    assert.equal(r.issues[0].line, 7);
    assert.match(r.issues[0].message, /"uplink-to-core01" is 16 bytes; the kernel allows at most 15/);
    assert.equal(r.lab, undefined);
  });

  it('counts bytes, not characters, against the kernel limit', () => {
    const r = loadLab('name: x\ntopology:\n  nodes:\n    h1: {kind: host}\n    s1: {kind: bridge}\n  links:\n    - endpoints: ["h1:ääääääää", "s1:p1"]\n');
    assert.match(r.issues[0].message, /16 bytes/);
  });

  it('the same address twice in one L2 segment', () => {
    assert.deepEqual(brief('bad-overlap.vlab.yaml'), ['5: address 10.0.0.7 of h2:eth0 is also used by h1:eth0 in the same L2 segment']);
  });

  it('unknown kinds, missing image, misplaced fail-mode, bad values: all reported at once', () => {
    const lines = brief('bad-kinds.vlab.yaml');
    assert.deepEqual(lines, [
      '4: node h1: kind "hots" is unknown',
      '5: node c1 is kind linux but has no image',
      '6: node s1: fail-mode only applies to kind ovs-bridge',
      '7: node s2: fail-mode "sometimes" is unknown',
      '10: delay "10 ms" is not understood',
      '11: vni "0" is out of range',
    ]);
  });

  it('YAML syntax errors carry their line', () => {
    const r = loadLab('name: x\ntopology:\n  nodes: {h1: {kind: host}\n  links: []\n');
    assert.equal(r.lab, undefined);
    assert.ok(r.issues.length >= 1);
    assert.ok(r.issues[0].line >= 3, JSON.stringify(r.issues));
  });

  it('a VXLAN link must join switches', () => {
    const r = loadLab('name: x\ntopology:\n  nodes:\n    h1: {kind: host}\n    s1: {kind: bridge}\n  links:\n    - endpoints: ["h1:eth0", "s1:p1"]\n      vni: 5\n');
    assert.equal(r.issues[0].line, 7);
    assert.match(r.issues[0].message, /must join two switches/);
  });

  it('auto addresses: 10.0.0.N/24 per segment, skipping given ones; tenants may reuse a subnet', () => {
    const r = load('tenants.vlab.yaml');
    assert.deepEqual(r.issues, []);
    const addr = Object.fromEntries(r.lab!.hosts.map((h) => [h.name, `${h.ifaces[0].address}@${h.ifaces[0].segment}`]));
    assert.deepEqual(addr, { a1: '10.0.0.1/24@0', a2: '10.0.0.2/24@0', b1: '10.0.0.1/24@1', b3: '10.0.0.3/24@1' });
    const given = loadLab('name: x\ntopology:\n  nodes:\n    h1: {kind: host, addresses: {eth0: 10.0.0.1/24}}\n    h2: {kind: host}\n    s1: {kind: bridge}\n  links:\n    - endpoints: ["h1:eth0", "s1"]\n    - endpoints: ["h2", "s1"]\n');
    assert.deepEqual(given.issues, []);
    assert.deepEqual(given.lab!.hosts.map((h) => `${h.name}:${h.ifaces[0].name}=${h.ifaces[0].address}`), ['h1:eth0=10.0.0.1/24', 'h2:eth0=10.0.0.2/24']);
    assert.deepEqual(given.lab!.links.map((l) => l.b.iface), ['p1', 'p2']);
  });

  it('link impairments are parsed', () => {
    const r = load('faults.vlab.yaml');
    assert.deepEqual(r.issues, []);
    assert.deepEqual(r.lab!.links.find((l) => l.a.node === 'h2' && l.b.node === 'h3')!.netem, { loss: '1%' });
    assert.equal(r.lab!.links.find((l) => l.vni)!.type, 'vxlan');
  });
});

describe('media/lab.schema.json (contributed to the editor)', () => {
  const schema = JSON.parse(readFileSync(path.join(__dirname, '../../../media/lab.schema.json'), 'utf8'));
  it('knows the same node kinds and settings the parser accepts', () => {
    assert.deepEqual(schema.definitions.node.properties.kind.enum, ['host', 'linux', 'bridge', 'ovs-bridge']);
    assert.deepEqual(Object.keys(schema.definitions.node.properties).sort(), ['addresses', 'cmd', 'fail-mode', 'image', 'kind', 'labels', 'openflow', 'vtep'].sort());
    assert.deepEqual(Object.keys(schema.definitions.link.properties).sort(), ['delay', 'endpoints', 'jitter', 'loss', 'rate', 'vni'].sort());
  });
  it('its endpoint and lab-name patterns agree with the checks', () => {
    const ep = new RegExp(schema.definitions.link.properties.endpoints.items.pattern);
    assert.ok(ep.test('h1:eth0') && ep.test('s1') && !ep.test('h1:uplink-to-core01') && !ep.test('1h:eth0'));
    const name = new RegExp(schema.properties.name.pattern);
    assert.ok(name.test('linear4') && !name.test('-x'));
    // Every file in the fixtures the parser accepts also matches the schema's name and kinds.
    for (const f of ['tenants.vlab.yaml', 'container.vlab.yaml', 'faults.vlab.yaml']) {
      const r = load(f);
      assert.ok(r.lab && name.test(r.lab.name));
      for (const l of r.lab.links) for (const e of [l.a, l.b]) assert.ok(ep.test(`${e.node}:${e.iface}`), `${e.node}:${e.iface}`);
    }
  });
});
