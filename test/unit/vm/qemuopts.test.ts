import { strict as assert } from 'node:assert';
import { parseQemuOpts, parseQemuSize, splitEscaped, splitQemuArgs } from '../../../src/core/vm/qemuopts';
import { classifyDevice } from '../../../src/core/vm/devices';

describe('vm/qemuopts', () => {
  it('splits on single commas and unescapes ",,"', () => {
    assert.deepEqual(splitEscaped('file=/a,,b.img,if=ide'), ['file=/a,b.img', 'if=ide']);
    assert.deepEqual(splitEscaped('a,,,b'), ['a,', 'b']);
  });

  it('parses implied keys, bare flags and legacy nowait', () => {
    const d = parseQemuOpts('virtio-net-pci,netdev=n0,id=nic0', 'driver');
    assert.equal(d.implied, 'virtio-net-pci');
    assert.deepEqual(d.params, { driver: 'virtio-net-pci', netdev: 'n0', id: 'nic0' });
    const q = parseQemuOpts('unix:/tmp/x.sock,server,nowait', 'backend');
    assert.equal(q.params.server, 'on');
    assert.equal(q.params.wait, 'off');
  });

  it('parses libvirt JSON option values', () => {
    const o = parseQemuOpts('{"type":"tap","fd":"33","vhost":true,"id":"hostnet0","n":3}', 'type');
    assert.equal(o.json, true);
    assert.equal(o.implied, 'tap');
    assert.deepEqual(o.params, { type: 'tap', fd: '33', vhost: 'on', id: 'hostnet0', n: '3' });
  });

  it('reads sizes with QEMU suffixes (bare -m numbers are MiB)', () => {
    assert.equal(parseQemuSize('128', 'm'), 128 * 1024 ** 2);
    assert.equal(parseQemuSize('2G'), 2 * 1024 ** 3);
    assert.equal(parseQemuSize('4194304k'), 4 * 1024 ** 3);
    assert.equal(parseQemuSize('1.5G'), 1.5 * 1024 ** 3);
    assert.equal(parseQemuSize('lots'), undefined);
  });

  it('knows which options take no argument', () => {
    const a = splitQemuArgs(['-S', '-m', '128', '-enable-kvm', '--nodefaults', 'disk.img', '-name', 'x']);
    assert.deepEqual(a, [{ opt: 'S' }, { opt: 'm', value: '128' }, { opt: 'enable-kvm' }, { opt: 'nodefaults' }, { opt: '', value: 'disk.img' }, { opt: 'name', value: 'x' }]);
  });
});

describe('vm/devices', () => {
  const cases: [string, string, string][] = [
    ['virtio-net-pci', 'paravirtual', 'network'],
    ['virtio-blk-pci', 'paravirtual', 'storage'],
    ['vhost-user-fs-pci', 'paravirtual', 'storage'],
    ['vhost-vsock-pci', 'paravirtual', 'other'],
    ['qxl-vga', 'paravirtual', 'display'],
    ['e1000', 'emulated', 'network'],
    ['e1000e', 'emulated', 'network'],
    ['rtl8139', 'emulated', 'network'],
    ['ne2k_pci', 'emulated', 'network'],
    ['pcnet', 'emulated', 'network'],
    ['ide-hd', 'emulated', 'storage'],
    ['ahci', 'emulated', 'storage'],
    ['piix3-ide', 'emulated', 'storage'],
    ['usb-tablet', 'emulated', 'usb'],
    ['qemu-xhci', 'emulated', 'usb'],
    ['VGA', 'emulated', 'display'],
    ['cirrus-vga', 'emulated', 'display'],
    ['vfio-pci', 'passthrough', 'other'],
    ['usb-host', 'passthrough', 'usb'],
  ];
  for (const [driver, virt, cat] of cases) {
    it(`${driver} is ${virt} ${cat}`, () => {
      const c = classifyDevice(driver);
      assert.equal(c.virtualization, virt);
      assert.equal(c.category, cat);
      assert.ok(c.why.startsWith(`${driver}: ${virt}`), c.why);
      assert.equal(c.known, true);
    });
  }
  it('flags unknown drivers as an inference', () => {
    const c = classifyDevice('acme-frobnicator');
    assert.equal(c.known, false);
    assert.equal(c.virtualization, 'emulated');
  });
});
