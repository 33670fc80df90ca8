import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { defaultStateDir, readLedger } from '../../../src/core/lab/ledger';
import { spawnSync } from 'node:child_process';
import { CLI, expectOk, expectRed, guideSuite, runStep, x } from './helpers';

// Guided labs 6 (Open vSwitch), 7 (VXLAN tenants) and 10 (Mininet-style) through the real CLI.

async function ledger(name: string) {
  const l = await readLedger(defaultStateDir(), name);
  assert.ok(l, `lab ${name} is in the ledger`);
  return l;
}

guideSuite('ovs', 'guided lab 6: virtual switches (real Open vSwitch)', () => {

  it('up and flows: the lab is on an OVS bridge named vlg…, NORMAL counts the pings', async () => {
    await expectRed('ovs', 'up');
    await runStep('ovs', 'up');
    await expectOk('ovs', 'up');
    const l = await ledger('vlg-ovs');
    const dev = l.plan.switches[0].dev;
    assert.match(dev, /^vlg/);
    assert.ok(x('ovs-vsctl', 'list-br').split('\n').includes(dev));
    await runStep('ovs', 'flows');
    await expectOk('ovs', 'flows');
  });

  it('drop: red before the rule, green with its counter; ovs-ofctl agrees; then remove', async () => {
    await expectRed('ovs', 'drop');
    const out = await runStep('ovs', 'drop');
    assert.match(out, /h2 gets no answer/);
    const r = await expectOk('ovs', 'drop');
    const l = await ledger('vlg-ovs');
    const dump = x('ovs-ofctl', 'dump-flows', l.plan.switches[0].dev);
    const line = dump.split('\n').find((s) => /nw_src=10\.0\.0\.2/.test(s) && /actions=drop/.test(s));
    assert.ok(line, dump);
    assert.ok(Number(/n_packets=(\d+)/.exec(line)![1]) > 0);
    assert.match(r.detail, /ping h2 → h1 \(10\.0\.0\.1\) just now got no answer/);
    // The rule is still there, so "remove" must be red.
    await expectRed('ovs', 'remove');
    await runStep('ovs', 'remove');
    await expectOk('ovs', 'remove');
    assert.doesNotMatch(x('ovs-ofctl', 'dump-flows', l.plan.switches[0].dev), /actions=drop/);
  });
});

guideSuite('vxlan', 'guided lab 7: multi-tenancy with VXLAN (real VXLAN devices on two shared VTEPs)', () => {
  /** The kernel's VXLAN devices of the lab, by the switch they serve (ip -d -j link, not VirtLab). */
  async function devices() {
    const l = await ledger('vlg-vxlan');
    const j = JSON.parse(x('ip', '-n', l.plan.swNetns!, '-d', '-j', 'link', 'show', 'type', 'vxlan')) as { ifname: string; linkinfo: { info_data: { id: number; local: string; remote: string; port: number } } }[];
    const bySwitch: Record<string, { id: number; local: string; remote: string; port: number }> = {};
    for (const k of l.plan.links.filter((k) => k.type === 'vxlan')) for (const e of [k.a, k.b]) bySwitch[e.node] = j.find((d) => d.ifname === e.dev)!.linkinfo.info_data;
    return { l, bySwitch };
  }
  /** Echo requests a namespace received (/proc/net/snmp read with nsenter, not the guide's reader). */
  const inEchos = (ns: string) => {
    const lines = x('nsenter', `--net=/run/netns/${ns}`, 'cat', '/proc/net/snmp').split('\n').filter((s) => s.startsWith('Icmp:'));
    return Number(lines[1]!.split(/\s+/)[lines[0]!.split(/\s+/).indexOf('InEchos')]);
  };
  /** a1 pings 10.0.0.2 once with a fresh ARP entry: which of a2 and b2 (both 10.0.0.2) got it? */
  async function a1Reaches(): Promise<{ a2: boolean; b2: boolean }> {
    const l = await ledger('vlg-vxlan');
    const ns = (h: string) => l.plan.hosts.find((x) => x.name === h)!.netns;
    x('ip', '-n', ns('a1'), 'neigh', 'flush', 'dev', 'eth0');
    const [a0, b0] = [inEchos(ns('a2')), inEchos(ns('b2'))];
    spawnSync('nsenter', [`--net=/run/netns/${ns('a1')}`, 'ping', '-c', '1', '-W', '2', '10.0.0.2'], { timeout: 20000 });
    return { a2: inEchos(ns('a2')) > a0, b2: inEchos(ns('b2')) > b0 };
  }

  it('up, ping, vteps: each tenant reaches only its own host; both tenants share the two VTEPs', async () => {
    await expectRed('vxlan', 'up');
    await runStep('vxlan', 'up');
    await expectOk('vxlan', 'up');
    await expectRed('vxlan', 'ping');
    await runStep('vxlan', 'ping');
    const r = await expectOk('vxlan', 'ping');
    assert.match(r.detail, /b2's \(same address, tenant B\) stayed \d+/);
    // The kernel: on each machine the two tenants' devices differ in nothing but the VNI.
    const { bySwitch: d } = await devices();
    for (const [a, b] of [['sa1', 'sb1'], ['sa2', 'sb2']] as const) {
      assert.deepEqual({ ...d[a], id: 0 }, { ...d[b], id: 0 }, `${a} and ${b}: same local, remote and port`);
      assert.notEqual(d[a]!.id, d[b]!.id);
    }
    assert.equal(d.sa1!.remote, d.sa2!.local);
    assert.deepEqual(await a1Reaches(), { a2: true, b2: false }, 'isolated: a1 reaches a2 only');
    const out = await runStep('vxlan', 'vteps');
    assert.match(out, /vxlan id 100/);
    assert.match(out, /vxlan id 200/);
    const v = await expectOk('vxlan', 'vteps');
    assert.match(v.detail, /hv1: sa1 VNI 100, sb1 VNI 200, both 10\.255\.0\.2 → 10\.255\.0\.3:4789/);
  });

  it('swap: with tenant B given VNI 100 on hv2, a1\'s frames reach b2; restore: isolated again', async () => {
    await expectRed('vxlan', 'swap');
    const out = await runStep('vxlan', 'swap');
    // a1's ARP was answered by b2: the MAC a1 holds for 10.0.0.2 is b2's.
    const l = await ledger('vlg-vxlan');
    const ns = (h: string) => l.plan.hosts.find((x) => x.name === h)!.netns;
    const mac = (h: string) => (JSON.parse(x('ip', '-n', ns(h), '-j', 'link', 'show', 'dev', 'eth0')) as { address: string }[])[0]!.address;
    const neigh = (JSON.parse(x('ip', '-n', ns('a1'), '-j', 'neigh', 'show', 'to', '10.0.0.2')) as { lladdr?: string }[])[0]?.lladdr;
    assert.equal(neigh, mac('b2'), `a1 maps 10.0.0.2 to b2's MAC (a2 is ${mac('a2')}):\n${out}`);
    assert.ok(out.includes(mac('b2')), 'the step shows b2\'s MAC in a1\'s neighbour table');
    const { bySwitch: d } = await devices();
    assert.deepEqual([d.sa1!.id, d.sa2!.id, d.sb1!.id, d.sb2!.id], [100, 200, 200, 100], 'hv2 swapped its VNIs');
    assert.deepEqual({ ...d.sa2, id: 0 }, { ...d.sb2, id: 0 }, 'same addresses and port on hv2 as before');
    assert.deepEqual(await a1Reaches(), { a2: false, b2: true }, 'same VNI -> frames cross: a1 reaches b2, not a2');
    const r = await expectOk('vxlan', 'swap');
    assert.match(r.detail, /tenant B's b2 got it/);
    assert.match(x('node', CLI, 'lab', 'vni', 'vlg-vxlan'), /sb2:vx\s+VNI 100 .*the lab file says VNI 200/);

    await expectRed('vxlan', 'restore');
    await runStep('vxlan', 'restore');
    await expectOk('vxlan', 'restore');
    const back = (await devices()).bySwitch;
    assert.deepEqual([back.sa1!.id, back.sa2!.id, back.sb1!.id, back.sb2!.id], [100, 100, 200, 200]);
    assert.deepEqual(await a1Reaches(), { a2: true, b2: false }, 'restored -> isolated: a1 reaches a2 only');
    // And the swap check sees it: no end of tenant B has tenant A's VNI any more.
    assert.match((await expectRed('vxlan', 'swap')).detail, /No tunnel end of tenant B has tenant A's VNI 100/);
  });
});

guideSuite('mininet', 'guided lab 10: a Mininet-style lab (real netns and bridges)', () => {

  it('generate, up, pingall', async () => {
    await expectRed('mininet', 'generate');
    await runStep('mininet', 'generate');
    await expectOk('mininet', 'generate');
    await expectRed('mininet', 'up');
    await runStep('mininet', 'up');
    await expectOk('mininet', 'up');
    await runStep('mininet', 'pingall');
    const r = await expectOk('mininet', 'pingall');
    assert.match(r.detail, /from the 3 others/);
  });

  it('break: red while the link is up; green when s1–s2 is down and h1 loses h3 but keeps h2', async () => {
    await expectRed('mininet', 'break');
    await runStep('mininet', 'break');
    await expectOk('mininet', 'break');
  });

  it('capture: the pcap holds h1 → h4 echo requests and replies (tcpdump agrees)', async () => {
    await runStep('mininet', 'capture');
    const r = await expectOk('mininet', 'capture');
    const req = Number(/: (\d+) ICMP echo request/.exec(r.detail)![1]);
    const text = x('tcpdump', '-nr', '/tmp/vlg-tree-h1.pcap');
    const tdReq = text.split('\n').filter((s) => /10\.0\.0\.1 > 10\.0\.0\.4: ICMP echo request/.test(s)).length;
    assert.equal(req, tdReq, text);
    assert.ok(readFileSync('/tmp/vlg-tree-h1.pcap').length > 24);
  });
});
