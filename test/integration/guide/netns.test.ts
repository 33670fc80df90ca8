import assert from 'node:assert/strict';
import { expectOk, expectRed, guideSuite, runStep, x } from './helpers';

// Guided lab 5 on the real kernel: namespaces, a veth pair, a ping, then a Linux bridge.

guideSuite('netns', 'guided lab 5: network namespaces by hand (real netns, veth, bridge)', () => {

  it('two-ns: red before, green once ip netns add ran', async () => {
    await expectRed('netns', 'two-ns');
    await runStep('netns', 'two-ns');
    await expectOk('netns', 'two-ns');
    assert.deepEqual(x('ip', 'netns', 'list').split('\n').map((l) => l.split(' ')[0]).filter((n) => /^vlg-[ab]$/.test(n)).sort(), ['vlg-a', 'vlg-b']);
  });

  it('veth and ping: the ping is red until it is sent; ICMP counters agree with ping itself', async () => {
    await expectRed('netns', 'veth');
    await runStep('netns', 'veth');
    const v = await expectOk('netns', 'veth');
    assert.match(v.detail, /vlg-a0 in vlg-a \(10\.99\.0\.1\/24, up\) ⇄ vlg-b0 in vlg-b \(10\.99\.0\.2\/24, up\)/);
    // Independent: ip -j says vlg-a0 is a veth whose peer lives in another namespace.
    const link = (JSON.parse(x('ip', '-n', 'vlg-a', '-j', '-d', 'link', 'show', 'vlg-a0')) as { linkinfo?: { info_kind?: string }; link_netnsid?: number }[])[0];
    assert.equal(link.linkinfo?.info_kind, 'veth');
    assert.equal(typeof link.link_netnsid, 'number');
    await expectRed('netns', 'ping');
    const out = await runStep('netns', 'ping');
    assert.match(out, /3 packets transmitted, 3 received/);
    const r = await expectOk('netns', 'ping');
    const m = /(\d+) echo requests received, (\d+) replies sent/.exec(r.detail)!;
    assert.ok(Number(m[1]) >= 3 && Number(m[2]) >= 3, r.detail);
  });

  it('bridge: two ports whose peers are in vlg-a and vlg-c, and replies through it', async () => {
    await expectRed('netns', 'bridge');
    const out = await runStep('netns', 'bridge');
    assert.match(out, /3 packets transmitted, 3 received/);
    const r = await expectOk('netns', 'bridge');
    assert.match(r.detail, /vlg-a1p \(up\) → vlg-a1/);
    assert.match(r.detail, /vlg-c0p \(up\) → vlg-c0/);
    const ports = (JSON.parse(x('ip', '-j', 'link', 'show', 'master', 'vlg-br0')) as { ifname: string }[]).map((l) => l.ifname).sort();
    assert.deepEqual(ports, ['vlg-a1p', 'vlg-c0p']);
  });
});
