import { strict as assert } from 'node:assert';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scanOptions } from '../../../src/core/context';
import { GraphBuilder } from '../../../src/core/model/builder';
import { makeSriovCollector } from '../../../src/core/sriov/collector';
import { readSriov } from '../../../src/core/sriov/sysfs';
import { parseIpLinkVfs, type IpLinkReader } from '../../../src/core/sriov/vfinfo';

const FIX = join(__dirname, '../../fixtures/sriov');
const asked: string[] = [];
const replayIp: IpLinkReader = async (ifname) => {
  asked.push(ifname);
  try {
    return { ok: true, code: 0, stdout: readFileSync(join(FIX, 'ip', `${ifname}.json`), 'utf8'), stderr: '' };
  } catch {
    return { ok: false, code: 1, stdout: '', stderr: `Device "${ifname}" does not exist.` };
  }
};

async function collect(sys: string): Promise<GraphBuilder> {
  const g = new GraphBuilder();
  await makeSriovCollector({ ipLink: () => replayIp }).collect(scanOptions({ roots: { sys } }), g);
  return g;
}

describe('sriov/sysfs on recorded NIC trees', () => {
  it('finds the Intel and Mellanox PFs, ignores the plain NIC and the NVMe function', async () => {
    const s = await readSriov(join(FIX, 'sys'));
    assert.deepEqual(s.pfs.map((p) => [p.pci, p.driver, p.totalVfs, p.numVfs, p.vfs.length]), [
      ['0000:3b:00.0', 'i40e', 64, 4, 4],
      ['0000:3b:00.1', 'i40e', 64, 0, 0],
      ['0000:5e:00.0', 'mlx5_core', 8, 2, 2],
    ]);
    // Intel: 2 PFs + 4 VFs, eno1; Mellanox: PF + 2 VFs = 10. The NVMe is class 0x01xx and not counted.
    assert.equal(s.networkFunctions, 10);
    const intel = s.pfs[0];
    assert.deepEqual(intel.ifnames, ['ens1f0']);
    assert.equal(intel.offset, 16);
    assert.equal(intel.vfDeviceId, '0x154c');
    assert.deepEqual(intel.vfs.map((v) => [v.index, v.pci, v.driver, v.ifnames[0], v.physfnOk]), [
      [0, '0000:3b:02.0', 'iavf', 'ens1f0v0', true],
      [1, '0000:3b:02.1', 'iavf', 'ens1f0v1', true],
      [2, '0000:3b:02.2', 'iavf', 'ens1f0v2', true],
      [3, '0000:3b:02.3', 'vfio-pci', undefined, true],
    ]);
    const mlx = s.pfs[2];
    assert.equal(mlx.driversAutoprobe, false);
    assert.deepEqual(mlx.vfs.map((v) => [v.pci, v.driver, v.ifnames.length]), [['0000:5e:00.2', undefined, 0], ['0000:5e:00.3', undefined, 0]]);
  });
});

describe('sriov/collector', () => {
  it('builds PF and VF nodes with ip vfinfo settings, all marked simulated', async () => {
    asked.length = 0;
    const g = await collect(join(FIX, 'sys'));
    assert.equal(g.sources.sriov.state, 'ok');
    assert.deepEqual(g.nodesOfKind('sriov-pf').map((n) => n.id).sort(), ['sriov-pf:0000:3b:00.0', 'sriov-pf:0000:3b:00.1', 'sriov-pf:0000:5e:00.0']);
    assert.equal(g.nodesOfKind('sriov-vf').length, 6);
    assert.ok([...g.nodesOfKind('sriov-pf'), ...g.nodesOfKind('sriov-vf')].every((n) => n.props.simulated === true));
    // SR-IOV disabled on ens1f1: nothing to ask ip about.
    assert.deepEqual(asked.sort(), ['enp94s0f0np0', 'ens1f0']);
    const off = g.get('sriov-pf:0000:3b:00.1')!;
    assert.equal(off.props.sriovEnabled, false);
    assert.equal(off.props.totalVfs, 64);
    const vf1 = g.get('sriov-vf:0000:3b:02.1')!;
    assert.deepEqual(
      [vf1.props.mac, vf1.props.vlan, vf1.props.qos, vf1.props.trust, vf1.props.spoofCheck, vf1.props.linkState, vf1.props.maxTxRateMbps, vf1.props.minTxRateMbps],
      ['52:54:00:0a:00:02', 200, 3, true, true, 'enable', 1000, 100],
    );
    const vf2 = g.get('sriov-vf:0000:3b:02.2')!;
    assert.deepEqual([vf2.props.vlan, vf2.props.spoofCheck, vf2.props.linkState], [0, false, 'disable']);
    const vf3 = g.get('sriov-vf:0000:3b:02.3')!;
    assert.equal(vf3.props.driver, 'vfio-pci');
    assert.equal(vf3.props.vlanProtocol, '802.1ad');
    assert.match(String(vf3.props.role), /passthrough/);
    const mvf = g.get('sriov-vf:0000:5e:00.2')!;
    assert.equal(mvf.props.driver, null);
    assert.equal(mvf.props.bound, false);
    assert.equal(mvf.props.mac, '00:00:00:00:00:00');
    const snap = g.build(0);
    assert.equal(snap.edges.filter((e) => e.kind === 'vf-of').length, 6);
    assert.ok(snap.edges.some((e) => e.kind === 'vf-of' && e.from === 'sriov-vf:0000:5e:00.3' && e.to === 'sriov-pf:0000:5e:00.0'));
  });

  it('says plainly when a machine has no SR-IOV NIC', async () => {
    const sys = join(FIX, 'plain', 'sys');
    const g = await collect(sys);
    assert.equal(g.sources.sriov.state, 'absent');
    assert.equal(g.sources.sriov.detail, `No SR-IOV capable network device on this machine (no sriov_totalvfs under ${sys}/class/net/*/device).`);
    assert.equal(g.nodesOfKind('sriov-pf').length + g.nodesOfKind('sriov-vf').length, 0);
  });

  it('skips a PF with a garbled sriov_totalvfs and a failing ip, without aborting', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'vlt-sriov-'));
    try {
      cpSync(join(FIX, 'sys'), join(tmp, 'sys'), { recursive: true, verbatimSymlinks: true });
      writeFileSync(join(tmp, 'sys/devices/pci0000:5d/0000:5d:00.0/0000:5e:00.0/sriov_totalvfs'), '\u0000\u0000garbage');
      const g = new GraphBuilder();
      const failingIp: IpLinkReader = async () => ({ ok: false, code: null, stdout: '', stderr: '', error: 'ETIMEDOUT' });
      await makeSriovCollector({ ipLink: () => failingIp }).collect(scanOptions({ roots: { sys: join(tmp, 'sys') } }), g);
      assert.equal(g.sources.sriov.state, 'partial');
      assert.ok(!g.has('sriov-pf:0000:5e:00.0'));
      assert.ok(g.has('sriov-vf:0000:3b:02.0'));
      assert.equal(g.get('sriov-vf:0000:3b:02.0')!.props.mac, undefined);
      assert.ok(g.skipped.some((s) => /unparsable sriov_totalvfs/.test(s.reason)));
      assert.ok(g.skipped.some((s) => s.path === 'ens1f0' && s.code === 'ETIMEDOUT'));
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});

describe('sriov/vfinfo', () => {
  it('accepts older iproute2 output (flat vlan, mac, tx_rate)', () => {
    const p = parseIpLinkVfs(JSON.stringify([{ ifname: 'eth2', address: 'aa:bb:cc:dd:ee:ff', vfinfo_list: [{ vf: 0, mac: '02:00:00:00:00:01', vlan: 5, qos: 1, tx_rate: 500, spoofchk: true }] }]));
    assert.deepEqual(p?.vfs[0], { vf: 0, mac: '02:00:00:00:00:01', vlan: 5, qos: 1, vlanProtocol: undefined, spoofCheck: true, trust: undefined, linkState: undefined, maxTxRateMbps: 500 });
  });
  it('rejects what is not ip -j link output', () => {
    assert.equal(parseIpLinkVfs('not json'), undefined);
    assert.equal(parseIpLinkVfs('{"ifname":"x"}'), undefined);
    assert.deepEqual(parseIpLinkVfs('[{"ifname":"eth0"}]')?.vfs, []);
  });
});
