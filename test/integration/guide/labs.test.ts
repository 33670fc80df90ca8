import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { defaultStateDir, readLedger } from '../../../src/core/lab/ledger';
import { expectOk, expectRed, guideSuite, runStep, x } from './helpers';

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

guideSuite('vxlan', 'guided lab 7: multi-tenancy with VXLAN (real VXLAN devices)', () => {

  it('up, ping, vni: each tenant reaches only its own host with the same addresses', async () => {
    await expectRed('vxlan', 'up');
    await runStep('vxlan', 'up');
    await expectOk('vxlan', 'up');
    await expectRed('vxlan', 'ping');
    await runStep('vxlan', 'ping');
    const r = await expectOk('vxlan', 'ping');
    assert.match(r.detail, /b2's \(same address, tenant B\) stayed \d+/);
    const out = await runStep('vxlan', 'vni');
    assert.match(out, /vxlan id 100/);
    assert.match(out, /vxlan id 200/);
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
