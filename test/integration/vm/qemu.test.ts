import { strict as assert } from 'node:assert';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readlinkSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { scanOptions } from '../../../src/core/context';
import { GraphBuilder } from '../../../src/core/model/builder';
import type { GraphNode } from '../../../src/core/model/graph';
import { vmCollector, vmNetJoinCollector } from '../../../src/core/vm/collector';
import { findQemuProcesses } from '../../../src/core/vm/procscan';

/** Independent raw QMP conversation (not VirtLab's client): greeting, capabilities, then each command. */
function rawQmp(path: string, commands: string[]): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const s = createConnection(path);
    const out: Record<string, unknown> = {};
    const queue = ['qmp_capabilities', ...commands];
    let current: string | undefined;
    let buf = '';
    const timer = setTimeout(() => (s.destroy(), reject(new Error('raw QMP timeout'))), 15000);
    const next = (): void => {
      current = queue.shift();
      if (!current) {
        clearTimeout(timer);
        s.end();
        resolve(out);
        return;
      }
      s.write(JSON.stringify({ execute: current }) + '\n');
    };
    s.on('error', reject);
    s.on('data', (d) => {
      buf += d.toString();
      const lines = buf.split('\n');
      buf = lines.pop()!;
      for (const l of lines) {
        if (!l.trim()) continue;
        const m = JSON.parse(l);
        if (m.QMP) next();
        else if ('return' in m || 'error' in m) {
          out[current!] = m.return ?? m.error;
          next();
        }
      }
    });
  });
}

interface Guest {
  child: ChildProcess;
  sock: string;
  name: string;
}

function startGuest(accel: 'kvm' | 'tcg', extra: string[]): Guest {
  const tag = randomBytes(4).toString('hex');
  const sock = `/tmp/vlt-qmp-${tag}.sock`;
  const name = `vlt-guest-${tag}`;
  const child = spawn(
    'qemu-system-x86_64',
    ['-machine', `q35,accel=${accel}`, '-S', '-nodefaults', '-display', 'none', '-m', '128', '-name', name, '-qmp', `unix:${sock},server=on,wait=off`, ...extra],
    { stdio: 'ignore' },
  );
  return { child, sock, name };
}

async function waitForSocket(g: Guest): Promise<void> {
  for (let i = 0; i < 200 && !existsSync(g.sock); i++) {
    if (g.child.exitCode !== null) throw new Error(`qemu exited with ${g.child.exitCode}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  if (!existsSync(g.sock)) throw new Error(`no QMP socket ${g.sock}`);
}

const TWO_NICS = ['-netdev', 'user,id=n0,restrict=on', '-device', 'virtio-net-pci,netdev=n0,id=nic0', '-netdev', 'user,id=n1,restrict=on', '-device', 'e1000,netdev=n1,id=nic1'];

describe('vm collector against real QEMU (KVM and TCG)', function () {
  this.timeout(120000);
  const guests: Guest[] = [];
  const tap = `vlt${randomBytes(3).toString('hex')}`;
  let kvm: Guest;
  let tcg: Guest;
  let tapGuest: Guest;
  let g: GraphBuilder;
  const vmOf = (guest: Guest): GraphNode => {
    const vm = g.nodesOfKind('vm').find((n) => n.props.pid === guest.child.pid);
    assert.ok(vm, `no vm node for pid ${guest.child.pid}`);
    return vm;
  };
  const devicesOf = (vm: GraphNode): GraphNode[] => g.nodesOfKind('vm-device').filter((d) => d.props.vmId === vm.id);

  before(async () => {
    kvm = startGuest('kvm', TWO_NICS);
    tcg = startGuest('tcg', TWO_NICS);
    tapGuest = startGuest('tcg', ['-netdev', `tap,id=t0,ifname=${tap},script=no,downscript=no`, '-device', 'virtio-net-pci,netdev=t0,id=tnic']);
    guests.push(kvm, tcg, tapGuest);
    await Promise.all(guests.map(waitForSocket));
    g = new GraphBuilder();
    await vmCollector.collect(scanOptions({ timeoutMs: 10000 }), g);
  });

  after(async () => {
    for (const x of guests) {
      if (x.child.exitCode === null) {
        const gone = new Promise((r) => x.child.once('exit', r));
        x.child.kill('SIGKILL');
        await gone;
      }
      rmSync(x.sock, { force: true });
    }
  });

  it('finds the KVM guest with accelerator kvm, confirmed by raw QMP query-kvm', async () => {
    const vm = vmOf(kvm);
    const raw = await rawQmp(kvm.sock, ['query-kvm', 'query-status', 'query-cpus-fast', 'query-name']);
    assert.equal(vm.props.accelerator, 'kvm');
    assert.deepEqual(raw['query-kvm'], { enabled: true, present: true });
    const qmp = vm.props.qmp as { status: string; running: boolean; kvm: unknown };
    const rawStatus = raw['query-status'] as { status: string; running: boolean };
    assert.equal(rawStatus.status, 'prelaunch');
    assert.equal(qmp.status, rawStatus.status);
    assert.equal(qmp.running, rawStatus.running);
    assert.deepEqual(qmp.kvm, raw['query-kvm']);
    assert.equal(vm.props.name, (raw['query-name'] as { name: string }).name);
    assert.equal(vm.props.name, kvm.name);
    assert.deepEqual(vm.props.vcpuThreads, (raw['query-cpus-fast'] as { 'thread-id': number }[]).map((c) => c['thread-id']));
    assert.equal(vm.props.memoryMiB, 128);
    assert.ok(typeof vm.props.rssKiB === 'number' && vm.props.rssKiB > 0);
  });

  it('sees exactly one paravirtual and one emulated NIC, matching raw query-pci vendor ids', async () => {
    const vm = vmOf(kvm);
    const nics = devicesOf(vm).filter((d) => d.props.category === 'network');
    assert.deepEqual(nics.map((d) => [d.props.id, d.props.virtualization]).sort(), [['nic0', 'paravirtual'], ['nic1', 'emulated']]);
    const raw = await rawQmp(kvm.sock, ['query-pci']);
    const pciDevs = (raw['query-pci'] as { devices: { qdev_id: string; id: { vendor: number } }[] }[])[0].devices;
    const vendorOf = (id: string): number => pciDevs.find((d) => d.qdev_id === id)!.id.vendor;
    assert.equal(vendorOf('nic0'), 0x1af4);
    assert.notEqual(vendorOf('nic1'), 0x1af4);
    for (const d of nics) assert.equal((d.props.pci as { vendor: string }).vendor, `0x${vendorOf(String(d.props.id)).toString(16).padStart(4, '0')}`);
    // The chipset devices the q35 machine builds itself come from query-pci, not the command line.
    assert.equal(devicesOf(vm).filter((d) => d.props.from === 'qmp').length, pciDevs.filter((d) => !d.qdev_id).length);
  });

  it('says tcg for the accel=tcg guest, as raw QMP does', async () => {
    const vm = vmOf(tcg);
    const raw = await rawQmp(tcg.sock, ['query-kvm']);
    assert.equal((raw['query-kvm'] as { enabled: boolean }).enabled, false);
    assert.equal(vm.props.accelerator, 'tcg');
    assert.ok((vm.props.acceleratorEvidence as string[]).includes('process holds no KVM file descriptor'));
  });

  it('joins a guest NIC to its host tap interface (vm-nic)', async () => {
    const vm = vmOf(tapGuest);
    const tnic = devicesOf(vm).find((d) => d.props.id === 'tnic')!;
    assert.equal(tnic.props.tapIfname, tap);
    // The kernel's own record of the tap fd (fdinfo `iff:`), as libvirt-passed fds are resolved.
    const { processes } = await findQemuProcesses('/proc');
    assert.ok(Object.values(processes.find((p) => p.pid === tapGuest.child.pid)!.tapFds).includes(tap));
    // Play the network reader: an interface node for the tap as `ip -j link` reports it.
    const link = JSON.parse(execFileSync('ip', ['-j', 'link', 'show', 'dev', tap], { encoding: 'utf8' }))[0];
    // QEMU was started by this test process, so it shares our network namespace.
    const inode = /\[(\d+)\]/.exec(readlinkSync('/proc/self/ns/net'))![1];
    g.node(`ns:net:${inode}`, 'namespace', 'net', { type: 'net', inode: Number(inode), isHostNs: true });
    g.node(`iface:${inode}:${link.ifindex}`, 'interface', tap, { name: link.ifname });
    await vmNetJoinCollector.collect(scanOptions(), g);
    const snap = g.build(0);
    assert.ok(snap.edges.some((e) => e.kind === 'vm-nic' && e.from === tnic.id && e.to === `iface:${inode}:${link.ifindex}`));
  });
});
