import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { scanOptions } from '../../../src/core/context';
import { GraphBuilder } from '../../../src/core/model/builder';
import type { RunResult } from '../../../src/core/sys/exec';
import { makeVmCollector, vmNetJoinCollector } from '../../../src/core/vm/collector';
import type { ToolRunner } from '../../../src/core/sys/exec';

const FIX = join(__dirname, '../../fixtures/vm');
const opts = scanOptions({ roots: { proc: join(FIX, 'proc') } });

/** Replays recorded virsh / VBoxManage output; anything not recorded fails like a real error. */
const replay: ToolRunner = async (tool, args): Promise<RunResult> => {
  const ok = (file: string): RunResult => ({ ok: true, code: 0, stdout: readFileSync(join(FIX, file), 'utf8'), stderr: '' });
  const a = args.filter((x) => x !== '--readonly' && x !== '--');
  if (tool === 'virsh' && a.join(' ') === 'list --all --name') return ok('virsh/list-all-name.txt');
  if (tool === 'virsh' && (a[0] === 'dominfo' || a[0] === 'domiflist')) return ok(`virsh/${a[0]}-${a[1]}.txt`);
  if (tool === 'VBoxManage' && a.join(' ') === 'list runningvms') return ok('vbox/list-runningvms.txt');
  return { ok: false, code: 1, stdout: '', stderr: `unexpected call ${tool} ${args.join(' ')}` };
};
const absent: ToolRunner = async (tool) => ({ ok: false, code: null, stdout: '', stderr: `${tool} not found`, error: 'ENOENT' });
const noQmp = async (): Promise<never> => {
  throw new Error('QMP must not be contacted for a recorded tree');
};

async function collect(runTool: ToolRunner): Promise<GraphBuilder> {
  const g = new GraphBuilder();
  await makeVmCollector({ runTool: () => runTool, qmp: noQmp }).collect(opts, g);
  return g;
}

describe('vm/collector on a recorded /proc tree', () => {
  it('finds the three QEMU guests and skips the vanished one', async () => {
    const g = await collect(absent);
    const vms = g.nodesOfKind('vm');
    assert.deepEqual(vms.map((v) => v.props.name).sort(), ['debian12', 'tcg-guest', 'win10']);
    assert.ok(g.skipped.some((s) => s.path?.endsWith('/4747/status')));
    assert.equal(g.sources.vm.state, 'partial');
    assert.ok(vms.every((v) => v.props.simulated === true));
  });

  it('combines cmdline, threads and KVM fds for the libvirt guest', async () => {
    const g = await collect(absent);
    const vm = g.get('vm:7c2a1d3e-5b8f-4e61-9a0d-3f4b2c1d9e80')!;
    assert.equal(vm.props.pid, 4242);
    assert.equal(vm.props.hypervisor, 'libvirt');
    assert.equal(vm.props.accelerator, 'kvm');
    assert.deepEqual(vm.props.vcpuThreads, [4245, 4246]);
    assert.equal(vm.props.memoryMiB, 2048);
    assert.equal(vm.props.rssKiB, 2151104);
    assert.equal(vm.props.vhostNetFds, 1);
    assert.equal(vm.props.qmp, undefined);
    assert.match(String(vm.props.qmpUnavailable), /not on a unix socket path/);
    const net0 = g.get('vm-device:7c2a1d3e-5b8f-4e61-9a0d-3f4b2c1d9e80:net0')!;
    assert.equal(net0.props.virtualization, 'paravirtual');
    assert.equal(net0.props.tapIfname, 'vnet3'); // fd 33 -> fdinfo iff:
    assert.equal(net0.props.vhost, true);
    assert.deepEqual(vm.props.devices, { paravirtual: 7, emulated: 8, passthrough: 0, chipset: 0 });
  });

  it('says TCG for the TCG guest and KVM for the guest whose fds are unreadable', async () => {
    const g = await collect(absent);
    const tcg = g.get('vm:4343')!;
    assert.equal(tcg.props.accelerator, 'tcg');
    assert.deepEqual(tcg.props.vcpuThreads, [4345, 4346]);
    assert.ok((tcg.props.acceleratorEvidence as string[]).includes('process holds no KVM file descriptor'));
    const win = g.get('vm:2e1c5f0a-9b7d-4c33-8f21-6a5d4b3c2e10')!;
    assert.equal(win.props.accelerator, 'kvm');
    assert.deepEqual(win.props.vcpuThreads, []);
    assert.equal(g.get('vm-device:4343:vnic')!.props.tapIfname, 'vlttap0');
  });

  it('merges virsh domains by UUID and adds shut-off ones; VirtualBox VMs too', async () => {
    const g = await collect(replay);
    assert.equal(g.sources.libvirt.state, 'ok');
    const win = g.get('vm:2e1c5f0a-9b7d-4c33-8f21-6a5d4b3c2e10')!;
    assert.equal(win.props.pid, 4545);
    assert.equal((win.props.libvirt as { autostart: boolean }).autostart, true);
    // win10's tap was an fd we could not read; virsh domiflist names it, matched by MAC.
    assert.equal(g.get('vm-device:2e1c5f0a-9b7d-4c33-8f21-6a5d4b3c2e10:net0')!.props.tapIfname, 'vnet1');
    const off = g.get('vm:0b6f7d2e-1c3a-4e5f-8a9b-0c1d2e3f4a5b')!;
    assert.equal(off.props.hypervisor, 'libvirt');
    assert.equal((off.props.libvirt as { state: string }).state, 'shut off');
    assert.equal(off.props.memoryMiB, 1024);
    const offNic = g.get('vm-device:0b6f7d2e-1c3a-4e5f-8a9b-0c1d2e3f4a5b:mac-52:54:00:5e:6f:70')!;
    assert.equal(offNic.props.virtualization, 'paravirtual');
    assert.equal(offNic.props.tapIfname, undefined);
    assert.equal(g.sources.virtualbox.state, 'ok');
    assert.equal(g.get('vm:0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0')!.props.hypervisor, 'virtualbox');
    assert.equal(g.nodesOfKind('vm').length, 6);
  });

  it('reports absent management tools as absent with an install hint', async () => {
    const g = await collect(absent);
    assert.equal(g.sources.libvirt.state, 'absent');
    assert.match(g.sources.libvirt.fix ?? '', /apt-get install libvirt-clients/);
    assert.equal(g.sources.virtualbox.state, 'absent');
  });

  it('joins guest NICs to host taps and guests to their process in phase 3', async () => {
    const g = await collect(absent);
    g.node('ns:net:4026531840', 'namespace', 'net', { type: 'net', inode: 4026531840, isHostNs: true });
    g.node('ns:net:4026532999', 'namespace', 'net', { type: 'net', inode: 4026532999 });
    g.node('iface:4026531840:17', 'interface', 'vnet3', { name: 'vnet3' });
    g.node('iface:4026532999:4', 'interface', 'vlttap0', { name: 'vlttap0' }); // same name, other netns: no join
    g.node('process:4343', 'process', 'qemu', {});
    await vmNetJoinCollector.collect(opts, g);
    const snap = g.build(0);
    const nic = snap.edges.filter((e) => e.kind === 'vm-nic');
    assert.deepEqual(nic.map((e) => [e.from, e.to]), [['vm-device:7c2a1d3e-5b8f-4e61-9a0d-3f4b2c1d9e80:net0', 'iface:4026531840:17']]);
    assert.ok(snap.edges.some((e) => e.kind === 'runs' && e.from === 'process:4343' && e.to === 'vm:4343'));
    assert.ok(snap.edges.some((e) => e.kind === 'contains' && e.from === 'vm:4343' && e.to === 'vm-device:4343:vnic'));
  });
});
