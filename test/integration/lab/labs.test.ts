import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { labClean, labDown, labUp } from '../../../src/core/lab/engine';
import { generateLab, parseTopo } from '../../../src/core/lab/generate';
import type { Ledger } from '../../../src/core/lab/ledger';
import { labExec, labFlowAdd, labFlowDel, labPingAll, labSetLink } from '../../../src/core/lab/ops';
import type { Lab } from '../../../src/core/lab/types';
import { loadLab } from '../../../src/core/lab/validate';
import { FIXTURES, baseline, nsLinks, quiet, x } from './helpers';

// Real labs on the real machine, named vlt* (prefix "vlt"), in a private state directory. Traffic
// only between addresses inside the lab's own namespaces. Every test removes its lab in after().

const stateDir = mkdtempSync(path.join(tmpdir(), 'vlt-labs-'));
const opts = { stateDir, prefix: 'vlt', labels: { 'virtlab.test': '1' } };

function lab(text: string): Lab {
  const r = loadLab(text);
  assert.deepEqual(r.issues, []);
  return r.lab!;
}

/** Ordered pairs (from->to) that failed in a pingall. */
const failed = (r: Awaited<ReturnType<typeof labPingAll>>) =>
  r.pairs
    .filter((p) => !p.ok)
    .map((p) => `${p.from}>${p.to}`)
    .sort();

const ofFlows = (br: string) =>
  x('ovs-ofctl', 'dump-flows', br)
    .split('\n')
    .filter((l) => /n_packets=/.test(l));

describe('labs on the real machine', function () {
  this.timeout(120000);
  after(async () => {
    await labClean({ stateDir });
    rmSync(stateDir, { recursive: true, force: true });
  });

  for (const sw of ['bridge', 'ovs'] as const) {
    describe(`linear,4 with ${sw === 'ovs' ? 'Open vSwitch' : 'Linux bridges'}`, () => {
      let l: Ledger;
      const name = `vltlin4${sw[0]}`;
      before(async () => {
        l = await labUp(lab(generateLab(parseTopo('linear,4'), { name, switch: sw })), opts);
      });
      after(async () => {
        if (l) await labDown(name, { stateDir }).catch(() => undefined);
      });

      it('creates what the plan says (checked with ip -j and ovs-vsctl)', () => {
        for (const h of l.plan.hosts) {
          const eth0 = nsLinks(h.netns).find((i) => i.ifname === 'eth0');
          assert.ok(eth0, `${h.netns} has eth0`);
          assert.deepEqual(eth0.addr_info?.filter((a) => a.family === 'inet').map((a) => `${a.local}/${a.prefixlen}`), [h.ifaces[0].address]);
        }
        assert.deepEqual(l.plan.hosts.map((h) => h.ifaces[0].address), ['10.0.0.1/24', '10.0.0.2/24', '10.0.0.3/24', '10.0.0.4/24']);
        if (sw === 'bridge') {
          const sw = l.plan.swNetns!;
          const bridges = (JSON.parse(x('ip', '-n', sw, '-j', 'link', 'show', 'type', 'bridge')) as { ifname: string }[]).map((b) => b.ifname);
          assert.deepEqual(bridges.sort(), l.plan.switches.map((s) => s.dev).sort(), 'the Linux bridges, in the lab switch namespace');
          // s2 has its host port plus the two trunk ports.
          const s2 = l.plan.switches[1].dev;
          assert.equal((JSON.parse(x('ip', '-n', sw, '-j', 'link', 'show', 'master', s2)) as unknown[]).length, 3);
          assert.ok(!baseline().links.some((n) => n.startsWith(l.stem)), 'nothing of a bridge lab in the root namespace');
        } else {
          const brs = x('ovs-vsctl', 'list-br').split('\n');
          for (const s of l.plan.switches) {
            assert.ok(brs.includes(s.dev), `${s.dev} in ovs-vsctl list-br`);
            assert.equal(x('ovs-vsctl', 'get', 'bridge', s.dev, 'datapath_type').trim(), 'netdev');
          }
          assert.equal(x('ovs-vsctl', 'list-ports', l.plan.switches[1].dev).split('\n').filter(Boolean).length, 3);
        }
      });

      it('pingall: 100 % of the 12 pairs answer', async () => {
        const r = await labPingAll(l.plan);
        assert.equal(r.tried, 12);
        assert.deepEqual(failed(r), []);
      });

      it('set-link h2 s2 loss=100% makes exactly the pairs through that link fail, and none restores it', async () => {
        await labSetLink(l.plan, 'h2', 's2', { loss: '100%' });
        const r = await labPingAll(l.plan, { waitS: 1 });
        assert.deepEqual(failed(r), ['h1>h2', 'h2>h1', 'h2>h3', 'h2>h4', 'h3>h2', 'h4>h2']);
        await labSetLink(l.plan, 'h2', 's2', {});
        assert.deepEqual(failed(await labPingAll(l.plan)), []);
      });

      if (sw === 'ovs') {
        it('an OpenFlow drop rule stops the ping and its n_packets rises', async () => {
          const s1 = l.plan.switches[0].dev;
          await labFlowAdd(l.plan, 's1', 'priority=200,icmp,nw_dst=10.0.0.1,actions=drop');
          const count = () => Number(/n_packets=(\d+)/.exec(ofFlows(s1).find((f) => /priority=200/.test(f) && /nw_dst=10.0.0.1/.test(f))!)![1]);
          const before = count();
          const r = await labExec(l.plan, 'h2', ['ping', '-c', '2', '-W', '1', '10.0.0.1']);
          assert.equal(r.ok, false, 'ping h2 -> h1 must fail while the drop rule is there');
          // The userspace datapath hands its counters to OpenFlow at the revalidators' next round:
          // without waiting for it the last dropped ping may not be counted yet.
          x('ovs-appctl', 'revalidator/wait');
          assert.ok(count() >= before + 2, `n_packets rose from ${before} to ${count()}`);
          await labFlowDel(l.plan, 's1', 'priority=200,icmp,nw_dst=10.0.0.1', true);
          assert.ok(!ofFlows(s1).some((f) => /priority=200/.test(f)), 'rule removed (ovs-ofctl dump-flows)');
          assert.equal((await labExec(l.plan, 'h2', ['ping', '-c', '1', '-W', '2', '10.0.0.1'])).ok, true);
        });
      }

      it('down removes every object of the lab', async () => {
        const res = await labDown(name, { stateDir });
        assert.deepEqual(res.left, []);
        const b = baseline();
        for (const o of l.plan.objects) {
          const where = o.type === 'link' ? b.links : o.type === 'netns' ? b.runNetns : o.type === 'ovs-bridge' ? b.ovs : b.containers;
          assert.ok(!where.includes(o.name), `${o.type} ${o.name} is gone`);
        }
        l = undefined as unknown as Ledger;
      });
    });
  }

  describe('two VXLAN tenants with the same 10.0.0.0/24', () => {
    let l: Ledger;
    before(async () => {
      l = await labUp(lab(readFileSync(path.join(FIXTURES, 'tenants.vlab.yaml'), 'utf8')), opts);
    });
    after(async () => {
      if (l) await labDown(l.name, { stateDir }).catch(() => undefined);
    });

    it('makes VXLAN devices with the VNIs of the file (ip -d -j link)', () => {
      type Vx = { ifname: string; linkinfo: { info_data: { id: number } } };
      const vx = [...(JSON.parse(x('ip', '-d', '-j', 'link', 'show', 'type', 'vxlan')) as Vx[]), ...(JSON.parse(x('ip', '-n', l.plan.swNetns!, '-d', '-j', 'link', 'show', 'type', 'vxlan')) as Vx[])].filter((d) => d.ifname.startsWith(l.stem));
      assert.deepEqual(vx.map((d) => d.linkinfo.info_data.id).sort((a, b) => a - b), [100, 100, 200, 200]);
    });

    it('each host reaches its own tenant and never the other', async () => {
      const r = await labPingAll(l.plan);
      assert.equal(r.tried, 4, 'a1<->a2 and b1<->b3');
      assert.deepEqual(failed(r), []);
      // 10.0.0.3 exists only in tenant B.
      assert.equal((await labExec(l.plan, 'a1', ['ping', '-c', '1', '-W', '1', '10.0.0.3'])).ok, false);
      assert.equal((await labExec(l.plan, 'b1', ['ping', '-c', '1', '-W', '1', '10.0.0.3'])).ok, true);
      // 10.0.0.2 answered a1 with a2's MAC (not one from tenant B).
      const a2mac = nsLinks(l.plan.hosts.find((h) => h.name === 'a2')!.netns).find((i) => i.ifname === 'eth0')!.address;
      const neigh = JSON.parse(x('ip', '-n', l.plan.hosts[0].netns, '-j', 'neigh', 'show', '10.0.0.2')) as { lladdr: string }[];
      assert.equal(neigh[0]?.lladdr, a2mac);
    });
  });

  describe('a kind: linux container host', () => {
    let l: Ledger;
    before(async () => {
      l = await labUp(lab(readFileSync(path.join(FIXTURES, 'container.vlab.yaml'), 'utf8')), opts);
    });
    after(async () => {
      if (l) await labDown(l.name, { stateDir }).catch(() => undefined);
      quiet('docker', 'rm', '-f', `${l?.stem}-c1`);
    });

    it('runs the image labelled as the lab says (docker inspect) and its own busybox ping reaches the namespace host', async () => {
      const c = l.plan.hosts.find((h) => h.name === 'c1')!;
      const info = JSON.parse(x('docker', 'inspect', c.container!))[0] as { State: { Running: boolean }; Config: { Labels: Record<string, string>; Image: string } };
      assert.equal(info.State.Running, true);
      assert.equal(info.Config.Labels['virtlab.test'], '1');
      assert.equal(info.Config.Labels['virtlab.lab'], 'vltctr');
      assert.equal(info.Config.Image, 'virtlab/busybox:latest');
      const r = await labExec(l.plan, 'c1', ['ping', '-c', '1', '-W', '2', '10.0.0.2']);
      assert.equal(r.ok, true, r.stdout + r.stderr);
      assert.match(r.stdout, /1 packets received/);
    });

    it('down removes the container', async () => {
      await labDown(l.name, { stateDir });
      assert.ok(!baseline().containers.includes(`${l.stem}-c1`));
      l = undefined as unknown as Ledger;
    });
  });
});
