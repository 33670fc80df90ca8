import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { presentObjects } from '../../../src/core/lab/engine';
import { generateLab, parseTopo } from '../../../src/core/lab/generate';
import { builtinLines, lossBytecode, netemArgs } from '../../../src/core/lab/impair';
import { devName, isLabDev, isLabNetns, labStem, labTag } from '../../../src/core/lab/naming';
import { hostBatch, ovsArgs, planLab, rootBatch, switchBatch, vtepBatch, vxlanAttachBatch } from '../../../src/core/lab/plan';
import { loadLab } from '../../../src/core/lab/validate';

const FX = path.join(__dirname, '../../fixtures/lab');
const lab = (text: string) => {
  const r = loadLab(text);
  assert.deepEqual(r.issues, []);
  return r.lab!;
};

describe('lab naming', () => {
  it('derives a stable 4-character tag; every kernel name fits in 15 bytes', () => {
    assert.equal(labTag('demo'), labTag('demo'));
    assert.notEqual(labTag('demo'), labTag('demo2'));
    assert.match(labTag('x'), /^[0-9a-z]{4}$/);
    const p = planLab(lab(generateLab(parseTopo('linear,250'), { name: 'a-rather-long-lab-name-for-testing' })), 'abcd');
    assert.equal(p.links.flatMap((l) => [l.a, l.b]).filter((e) => !e.netns?.includes('-h')).length, 250 + 2 * 249);
    for (const e of p.links.flatMap((l) => [l.a, l.b])) assert.ok(Buffer.byteLength(e.dev) <= 15, e.dev);
    for (const sw of p.switches) assert.ok(Buffer.byteLength(sw.dev) <= 15, sw.dev);
    assert.equal(devName(labStem('x', 'abcd'), 'veth', 9999).length, 13);
  });

  it('recognises only its own name shapes (canaries with the same stem are not lab objects)', () => {
    const s = labStem('vltfault', 'vlt');
    assert.ok(isLabDev(s, `${s}e12`) && isLabDev(s, `${s}b0`) && isLabDev(s, `${s}o3`) && isLabDev(s, `${s}x1`) && isLabDev(s, `${s}u0`));
    assert.ok(!isLabDev(s, `${s}q1`) && !isLabDev(s, `${s}e`) && !isLabDev(s, `${s}e1x`) && !isLabDev(s, 'vlb12'));
    assert.ok(isLabNetns(s, `${s}-h1`) && isLabNetns(s, `${s}.vt.s1`) && isLabNetns(s, `${s}.sw`));
    assert.ok(!isLabNetns(s, `${s}canary`) && !isLabNetns(s, `${s}-`) && !isLabNetns(s, 'vltcan-ns'));
    assert.throws(() => labStem('x', 'VL'), /2-4 lower-case letters/);
  });
});

describe('lab plan (batched commands)', () => {
  const p = planLab(lab(generateLab(parseTopo('linear,2'), { name: 'two' })), 'vl');
  const s = p.stem;

  it('linear,2 with bridges: one root batch makes namespaces and veths; bridges live in the switch netns', () => {
    assert.deepEqual(rootBatch(p, {}), [
      `netns add ${s}-h1`,
      `netns add ${s}-h2`,
      `netns add ${s}.sw`,
      `link add name eth0 netns ${s}-h1 type veth peer name ${s}e0 netns ${s}.sw`,
      `link add name eth0 netns ${s}-h2 type veth peer name ${s}e1 netns ${s}.sw`,
      `link add name ${s}e2 netns ${s}.sw type veth peer name ${s}e3 netns ${s}.sw`,
    ]);
    assert.deepEqual(switchBatch(p), [
      'link set lo up',
      `link add ${s}b0 type bridge`,
      `link set ${s}b0 up`,
      `link add ${s}b1 type bridge`,
      `link set ${s}b1 up`,
      `link set ${s}e0 master ${s}b0 up`,
      `link set ${s}e1 master ${s}b1 up`,
      `link set ${s}e2 master ${s}b0 up`,
      `link set ${s}e3 master ${s}b1 up`,
    ]);
    assert.deepEqual(hostBatch(p.hosts[1]), ['link set lo up', 'link set eth0 up', 'addr add 10.0.0.2/24 dev eth0']);
  });

  it('the ledger lists every object before creation; a bridge lab has nothing in the root namespace', () => {
    assert.deepEqual(
      p.objects.map((o) => `${o.type}:${o.name}`),
      [`netns:${s}-h1`, `netns:${s}-h2`, `netns:${s}.sw`],
    );
  });

  it('OVS: one ovs-vsctl transaction with the userspace datapath', () => {
    const o = planLab(lab(generateLab(parseTopo('linear,2'), { name: 'two', switch: 'ovs' })), 'vl');
    const args = ovsArgs(o, 'netdev');
    assert.equal(args[0], '--timeout=20');
    assert.equal(args.filter((a) => a === 'add-br').length, 2);
    assert.equal(args.filter((a) => a === 'add-port').length, 4);
    assert.ok(args.includes('datapath_type=netdev'));
    assert.equal(o.swNetns, undefined, 'an OVS-only lab needs no switch namespace');
    assert.deepEqual(o.objects.filter((x) => x.type === 'link').map((x) => x.name), [`${o.stem}e0`, `${o.stem}e1`, `${o.stem}e2`, `${o.stem}e3`], 'OVS ports are root links in the ledger');
    assert.ok(rootBatch(o, {}).includes(`link set ${o.stem}e0 up`));
  });

  it('VXLAN: VTEP namespaces on an underlay, devices created in the VTEP and placed where their switch is', () => {
    const t = planLab(lab(readFileSync(path.join(FX, 'tenants.vlab.yaml'), 'utf8')), 'vlt');
    assert.equal(t.vteps.length, 4);
    const vt = t.vteps[0];
    const lines = vtepBatch(t, vt, 4242);
    assert.deepEqual(lines.slice(0, 3), ['link set lo up', 'link set u0 up', `addr add ${vt.ip}/16 dev u0`]);
    assert.match(lines[3], new RegExp(`^link add ${t.stem}x\\d netns ${t.swNetns!.replace('.', '\\.')} type vxlan id 100 local ${vt.ip.replace(/\./g, '\\.')} remote 10\\.255\\.0\\.3 dstport 4789 dev u0$`));
    const att = vxlanAttachBatch(t);
    assert.equal(att.sw.length, 3, 'three ends on Linux bridges (sa1, sa2, sb1)');
    assert.equal(att.root.length, 1, 'one end on the OVS switch sb2');
    assert.ok(switchBatch(t).includes(`link add ${t.underlay} mtu 1600 type bridge`));
    assert.ok(lines.some((x) => x.includes(`netns ${t.swNetns} type vxlan`)), 'Linux-bridge ends go to the switch namespace');
    assert.ok(vtepBatch(t, t.vteps.find((v) => v.switches.includes('sb2'))!, 4242).some((x) => x.includes('netns 4242 type vxlan id 200')), 'OVS ends go to root');
  });

  it('container hosts: netns attached by pid', () => {
    const c = planLab(lab(readFileSync(path.join(FX, 'container.vlab.yaml'), 'utf8')), 'vlt');
    assert.equal(rootBatch(c, { c1: 777 })[0], `netns attach ${c.stem}-c1 777`);
    assert.deepEqual(c.objects[0], { type: 'container', name: `${c.stem}-c1` });
  });

  it('presentObjects: ledger objects that exist plus orphans of the same stem, nothing else', () => {
    const inv = {
      links: new Set(['lo', 'eth0', `${s}b0`, `${s}e7`, `${s}q1`, 'vlb3']),
      netns: new Set([`${s}-h1`, `${s}-zz`, `${s}x`, 'other']),
      ovsBridges: new Set([`${s}o0`]),
      containers: new Map([[`${s}-c9`, s], [`${s}-c8`, ''], ['unrelated', s]]),
    };
    const got = presentObjects(p, inv).map((o) => `${o.type}:${o.name}`).sort();
    assert.deepEqual(got, [`container:${s}-c9`, `link:${s}b0`, `link:${s}e7`, `netns:${s}-h1`, `netns:${s}-zz`, `ovs-bridge:${s}o0`].sort());
  });
});

describe('lab objects present', () => {
  it('a container holding a lab name without the lab label is not the lab\'s', () => {
    const c = planLab(lab(readFileSync(path.join(FX, 'container.vlab.yaml'), 'utf8')), 'vlt');
    const inv = (label: string) => ({ links: new Set<string>(), netns: new Set<string>(), containers: new Map([[`${c.stem}-c1`, label]]) });
    assert.deepEqual(presentObjects(c, inv(c.stem)), [{ type: 'container', name: `${c.stem}-c1` }]);
    assert.deepEqual(presentObjects(c, inv('')), []);
  });
});

describe('link impairments', () => {
  it('netem arguments', () => {
    assert.deepEqual(netemArgs({ delay: '10ms', jitter: '2ms', loss: '1%', rate: '10mbit' }), ['netem', 'delay', '10ms', '2ms', 'loss', '1%', 'rate', '10mbit']);
  });
  it('built-in fallback: classic BPF random threshold, limit-0 drop class, HTB rate', () => {
    assert.equal(lossBytecode(100), '4,32 0 0 4294963256,53 0 1 0,6 0 0 65538,6 0 0 65537');
    assert.equal(lossBytecode(25).split(',')[2], `53 0 1 ${0.75 * 2 ** 32}`);
    assert.equal(lossBytecode(0).split(',')[2], '53 0 1 4294967295');
    const l = builtinLines('x0', { loss: '5%', rate: '20mbit' });
    assert.ok(l[1].includes('rate 20mbit ceil 20mbit'));
    assert.ok(l.includes('qdisc add dev x0 parent 1:2 handle 2: pfifo limit 0'));
    assert.equal(builtinLines('x0', { rate: '1mbit' }).length, 2);
    assert.throws(() => builtinLines('x0', { delay: '5ms' }), /netem/);
  });
});
