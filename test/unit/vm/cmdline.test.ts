import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseQemuCmdline } from '../../../src/core/vm/cmdline';
import { splitCmdline } from '../../../src/core/vm/procscan';

const FIX = join(__dirname, '../../fixtures/vm/proc');
const argvOf = (pid: number): string[] => splitCmdline(readFileSync(join(FIX, String(pid), 'cmdline'), 'utf8'));

describe('vm/cmdline', () => {
  it('reads a libvirt 9 command line (JSON -device/-netdev, fd tap, fd monitor)', () => {
    const s = parseQemuCmdline(argvOf(4242));
    assert.equal(s.name, 'debian12');
    assert.equal(s.libvirt, true);
    assert.equal(s.debugThreads, true);
    assert.equal(s.uuid, '7c2a1d3e-5b8f-4e61-9a0d-3f4b2c1d9e80');
    assert.deepEqual(s.accelCandidates, ['kvm']);
    assert.equal(s.memoryMiB, 2048);
    assert.equal(s.vcpus, 2);
    assert.equal(s.machine, 'pc-q35-7.2');
    assert.equal(s.paused, true);
    const net0 = s.devices.find((d) => d.id === 'net0')!;
    assert.equal(net0.driver, 'virtio-net-pci');
    assert.equal(net0.cls.virtualization, 'paravirtual');
    assert.equal(net0.mac, '52:54:00:3b:7e:21');
    assert.deepEqual(s.netdevs, [{ id: 'hostnet0', type: 'tap', ifname: undefined, fd: '33', vhost: true, bridge: undefined }]);
    assert.equal(s.devices.find((d) => d.id === 'virtio-disk0')!.drive, 'libvirt-1-format');
    assert.equal(s.devices.find((d) => d.id === 'video0')!.cls.virtualization, 'paravirtual'); // qxl
    assert.equal(s.devices.find((d) => d.id === 'serial0')!.cls.virtualization, 'emulated'); // isa-serial
    // The monitor is an inherited fd: configured, but not connectable by path.
    assert.equal(s.qmp.length, 1);
    assert.equal(s.qmp[0].path, undefined);
    assert.equal(s.devices.length, 15); // 3 root ports, xhci, virtio-serial, blk, net, isa-serial, virtserialport, qxl, hda, codec, tablet, balloon, rng
  });

  it('reads a hand-started TCG guest with implicit devices and escaped commas', () => {
    const s = parseQemuCmdline(argvOf(4343));
    assert.deepEqual(s.accelCandidates, ['tcg']);
    assert.equal(s.accelFrom, '-machine accel=tcg');
    assert.equal(s.memoryMiB, 512);
    assert.equal(s.vcpus, 2);
    assert.equal(s.libvirt, false);
    const ide = s.devices.find((d) => d.driver === 'ide-hd')!;
    assert.equal(ide.drive, '/var/tmp/disk,with,commas.img');
    assert.equal(ide.idExplicit, false);
    const rtl = s.devices.find((d) => d.driver === 'rtl8139')!;
    assert.equal(rtl.from, '-nic');
    assert.equal(rtl.mac, '52:54:00:12:34:99');
    assert.equal(s.netdevs.find((n) => n.id === rtl.netdev)!.type, 'user');
    assert.ok(s.devices.some((d) => d.driver === 'cirrus-vga' && d.from === '-vga'));
    assert.equal(s.netdevs.find((n) => n.id === 't0')!.ifname, 'vlttap0');
    // scsi-hd on a virtio-scsi adapter takes the paravirtual path; the if=none drive is no device.
    const sd = s.devices.find((d) => d.id === 'sd0')!;
    assert.equal(sd.cls.virtualization, 'paravirtual');
    assert.ok(!s.devices.some((d) => d.drive === 'data0' && d.driver !== 'scsi-hd'));
    assert.deepEqual(s.qmp.map((q) => q.path), ['/run/tcg.sock']);
    assert.equal(s.devices.find((d) => d.driver === 'usb-tablet')!.cls.category, 'usb');
  });

  it('reads an older libvirt command line (keyval, socket-path monitor, VF passthrough)', () => {
    const s = parseQemuCmdline(argvOf(4545));
    assert.equal(s.name, 'win10');
    assert.equal(s.libvirt, true);
    assert.equal(s.uuid, '2e1c5f0a-9b7d-4c33-8f21-6a5d4b3c2e10');
    assert.deepEqual(s.accelCandidates, ['kvm']);
    assert.equal(s.memoryMiB, 4096);
    assert.equal(s.vcpus, 4);
    assert.deepEqual(s.qmp.map((q) => q.path), ['/var/lib/libvirt/qemu/domain-1-win10/monitor.sock']);
    assert.equal(s.devices.find((d) => d.id === 'hostdev0')!.cls.virtualization, 'passthrough');
    assert.equal(s.devices.find((d) => d.id === 'net0')!.cls.virtualization, 'emulated');
    assert.equal(s.devices.find((d) => d.id === 'odd0')!.cls.known, false);
  });

  it('handles accelerator fallbacks and defaults', () => {
    assert.deepEqual(parseQemuCmdline(['qemu-system-x86_64', '-accel', 'kvm', '-accel', 'tcg']).accelCandidates, ['kvm', 'tcg']);
    assert.deepEqual(parseQemuCmdline(['qemu-system-x86_64', '-M', 'q35,accel=kvm:tcg']).accelCandidates, ['kvm', 'tcg']);
    assert.deepEqual(parseQemuCmdline(['qemu-system-x86_64']).accelCandidates, ['tcg']);
    assert.deepEqual(parseQemuCmdline(['/usr/libexec/qemu-kvm']).accelCandidates, ['kvm']);
    const d = parseQemuCmdline(['qemu-system-x86_64', '-M', 'q35', '-nic', 'tap,ifname=vlt0']);
    assert.equal(d.devices[0].driver, 'e1000e'); // q35's default NIC model
    assert.equal(d.memoryFrom, 'default');
  });
});
