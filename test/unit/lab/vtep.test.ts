import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { planLab, vtepBatch } from '../../../src/core/lab/plan';
import { loadLab } from '../../../src/core/lab/validate';
import { parseVniWords, planVniChange, vxlanEnds } from '../../../src/core/lab/vni';

// Shared VTEPs: switches naming the same `vtep:` share one underlay address and UDP socket, so
// only the VNI separates their tunnels (guided lab 7); `lab vni` changes VNIs of a running lab.

const LAB7 = readFileSync(path.join(__dirname, '../../../media/labs/07-vxlan/vlg-vxlan.vlab.yaml'), 'utf8');
const ok = (text: string) => {
  const r = loadLab(text);
  assert.deepEqual(r.issues, []);
  return r.lab!;
};
const issues = (text: string) => loadLab(text).issues.map((i) => `${i.line}: ${i.message}`);

describe('lab files: shared VTEPs', () => {
  it('guided lab 7: two VTEPs, each serving both tenants; the four devices share addresses and port, only the VNI differs', () => {
    const p = planLab(ok(LAB7), 'vlg');
    assert.deepEqual(p.vteps.map((v) => [v.name, v.switches, v.netns]), [
      ['hv1', ['sa1', 'sb1'], `${p.stem}.vt.hv1`],
      ['hv2', ['sa2', 'sb2'], `${p.stem}.vt.hv2`],
    ]);
    const [hv1, hv2] = p.vteps;
    const adds = vtepBatch(p, hv1!, 1).filter((x) => x.startsWith('link add'));
    assert.equal(adds.length, 2, 'hv1 makes one device per tenant');
    for (const vni of [100, 200]) assert.ok(adds.some((x) => x.includes(`type vxlan id ${vni} local ${hv1!.ip} remote ${hv2!.ip} dstport 4789 dev u0`)), adds.join('\n'));
    const ends = vxlanEnds(p);
    assert.deepEqual(ends.map((e) => `${e.node} ${e.vni} ${e.vtep} ${e.local}->${e.remote}:${e.port}`), [
      `sa1 100 hv1 ${hv1!.ip}->${hv2!.ip}:4789`,
      `sa2 100 hv2 ${hv2!.ip}->${hv1!.ip}:4789`,
      `sb1 200 hv1 ${hv1!.ip}->${hv2!.ip}:4789`,
      `sb2 200 hv2 ${hv2!.ip}->${hv1!.ip}:4789`,
    ]);
  });

  it('without vtep: every switch keeps a VTEP of its own, as before', () => {
    const p = planLab(ok(readFileSync(path.join(__dirname, '../../fixtures/lab/tenants.vlab.yaml'), 'utf8')), 'vlt');
    assert.deepEqual(p.vteps.map((v) => v.switches), [['sa1'], ['sa2'], ['sb1'], ['sb2']]);
    assert.deepEqual(p.vteps.map((v) => v.name), ['sa1', 'sa2', 'sb1', 'sb2']);
  });

  it('refuses one VNI twice on a shared VTEP (the kernel would: "A VXLAN device with the specified VNI already exists")', () => {
    const both100 = LAB7.replace('vni: 200', 'vni: 100');
    assert.deepEqual(issues(both100), [
      '25: VTEP hv1 already carries vni 100 for switch sa1 (line 23); a VTEP hands each VNI to one VXLAN device, so sb1 cannot use it there too',
      '25: VTEP hv2 already carries vni 100 for switch sa2 (line 23); a VTEP hands each VNI to one VXLAN device, so sb2 cannot use it there too',
    ]);
  });

  it('refuses a tunnel whose two ends are on one VTEP, a vtep on a host, and a vtep that is not a name', () => {
    assert.match(issues(LAB7.replace('sa2: { kind: bridge, vtep: hv2 }', 'sa2: { kind: bridge, vtep: hv1 }')).join('\n'), /both ends of this VXLAN link \(sa1, sa2\) are on VTEP hv1/);
    assert.match(issues(LAB7.replace('a1: { kind: host }', 'a1: { kind: host, vtep: hv1 }')).join('\n'), /node a1: vtep only applies to switches/);
    assert.match(issues(LAB7.replace('vtep: hv2 }\n    sb2', 'vtep: "../x" }\n    sb2')).join('\n'), /vtep "\.\.\/x" is not a name/);
  });
});

describe('lab vni: other VNIs for a running lab', () => {
  const p = planLab(ok(LAB7), 'vlg');

  it('reads SWITCH:IF=VNI words and refuses anything else', () => {
    assert.deepEqual(parseVniWords(['sa2:vx=200', 'sb2:vx=100']), [
      { node: 'sa2', iface: 'vx', vni: 200 },
      { node: 'sb2', iface: 'vx', vni: 100 },
    ]);
    for (const bad of ['sb2=100', 'sb2:vx=0', 'sb2:vx=16777216', 'sb2:vx=1e3', '-x:vx=1', 'sb2:vx=100;reboot']) assert.throws(() => parseVniWords([bad]), /is not SWITCH:IF=VNI/, bad);
    assert.throws(() => parseVniWords([]), /at least one VXLAN end/);
  });

  it('giving tenant B VNI 100 alone on hv2 is refused: hv2 would hold VNI 100 twice', () => {
    assert.throws(() => planVniChange(p, [{ node: 'sb2', iface: 'vx', vni: 100 }]), /VTEP hv2 would hold VNI 100 twice \(sa2:vx and sb2:vx\).*give sa2:vx another VNI in the same command, e\.g\. sa2:vx=200/);
  });

  it('a swap on hv2 is accepted; the plan records the new VNIs and leaves the original alone', () => {
    const r = planVniChange(p, parseVniWords(['sa2:vx=200', 'sb2:vx=100']));
    assert.deepEqual(vxlanEnds(r.plan).map((e) => `${e.node} ${e.vni}/${e.fileVni}`), ['sa1 100/100', 'sa2 200/100', 'sb1 200/200', 'sb2 100/200']);
    assert.deepEqual(vxlanEnds(p).map((e) => e.vni), [100, 100, 200, 200], 'the input plan is not changed');
    // Swapping back removes the overrides: the plan is the lab file's again.
    const back = planVniChange(r.plan, parseVniWords(['sa2:vx=100', 'sb2:vx=200']));
    assert.deepEqual(back.plan.links, JSON.parse(JSON.stringify(p.links)));
  });

  it('refuses an end on an ovs-bridge switch (its OVS port would carry no traffic after the device is made again)', () => {
    const t = planLab(ok(readFileSync(path.join(__dirname, '../../fixtures/lab/tenants.vlab.yaml'), 'utf8')), 'vlt');
    assert.throws(() => planVniChange(t, parseVniWords(['sb1:vx=300', 'sb2:vx=300'])), /sb2:vx is a port of an ovs-bridge switch; lab vni changes VXLAN ends on Linux bridges only/);
    assert.doesNotThrow(() => planVniChange(t, parseVniWords(['sa1:vx=300', 'sa2:vx=300'])));
  });

  it('names the ends it knows when given an unknown one, and refuses one end twice', () => {
    assert.throws(() => planVniChange(p, [{ node: 'sa1', iface: 'p1', vni: 5 }]), /sa1:p1 is not a VXLAN end of lab vlg-vxlan \(its VXLAN ends: sa1:vx, sa2:vx, sb1:vx, sb2:vx\)/);
    assert.throws(() => planVniChange(p, parseVniWords(['sa1:vx=5', 'sa1:vx=6'])), /sa1:vx is named twice/);
  });
});
