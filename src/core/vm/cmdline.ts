import { classifyDevice, type DeviceClass } from './devices';
import { parseQemuOpts, parseQemuSize, qemuBool, splitEscaped, splitQemuArgs, type QemuArg } from './qemuopts';

/** A network backend (`-netdev`, `-nic`, `-net`): where the guest's packets leave QEMU on the host. */
export interface QemuNetdev {
  id: string;
  /** tap, user, bridge, vhost-user, socket, l2tpv3, vde, stream, dgram ... */
  type: string;
  /** `ifname=` of a tap backend, when QEMU created or opened the tap by name. */
  ifname?: string;
  /** `fd=`: an inherited tap file descriptor (libvirt style); the ifname can be read from /proc/<pid>/fdinfo. */
  fd?: string;
  /** The data path runs in the host kernel (vhost-net) instead of a QEMU thread. */
  vhost: boolean;
  /** Name of the host bridge for `-netdev bridge,br=`. */
  bridge?: string;
}

/** One guest-visible device as the command line declares it. */
export interface QemuDevice {
  /** `id=` when given, otherwise `<driver>#<n>` (stable while the command line is). */
  id: string;
  driver: string;
  idExplicit: boolean;
  /** Which option created it; `-nic`/`-drive`/`-vga` create devices implicitly. */
  from: '-device' | '-nic' | '-net' | '-drive' | '-vga' | '-hda' | 'qmp';
  netdev?: string;
  mac?: string;
  /** `addr=` on the parent bus (e.g. `0x3`, `0x2.0x1`). */
  pciAddress?: string;
  bus?: string;
  /** Block backend (drive id or blockdev node name) or image file. */
  drive?: string;
  cls: DeviceClass;
}

/** How to reach the guest's QMP monitor, if the command line configured one. */
export interface QmpEndpoint {
  /** unix socket path; undefined when the socket is an inherited fd or TCP. */
  path?: string;
  how: string;
}

/** What a QEMU command line says about its guest. */
export interface QemuGuestSpec {
  emulator: string;
  name?: string;
  uuid?: string;
  /** libvirt started it (its master-key secret object or /var/lib/libvirt paths are on the command line). */
  libvirt: boolean;
  /** vCPU threads carry names like `CPU 0/KVM` (`-name ...,debug-threads=on`). */
  debugThreads: boolean;
  machine?: string;
  /** Accelerators in the order QEMU tries them (`-accel kvm -accel tcg`, `accel=kvm:tcg`); the first that works is used. */
  accelCandidates: string[];
  accelFrom: string;
  memoryMiB: number;
  memoryFrom: 'cmdline' | 'default';
  vcpus: number;
  paused: boolean;
  netdevs: QemuNetdev[];
  devices: QemuDevice[];
  qmp: QmpEndpoint[];
}

const VGA_MODELS: Record<string, string> = { std: 'VGA', cirrus: 'cirrus-vga', vmware: 'vmware-svga', qxl: 'qxl-vga', virtio: 'virtio-vga', bochs: 'bochs-display' };

function basename(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

/** True for argv[0] of a QEMU system emulator (`qemu-system-x86_64`, RHEL's `qemu-kvm`, Debian's `kvm`). */
export function isQemuEmulator(argv0: string): boolean {
  const b = basename(argv0);
  return /^qemu-system-[\w.-]+$/.test(b) || b === 'qemu-kvm' || b === 'kvm';
}

/** Parse a QEMU command line (argv[0] included) into what the guest is made of. */
export function parseQemuCmdline(argv: readonly string[]): QemuGuestSpec {
  const emulator = argv[0] ?? '';
  const args = splitQemuArgs(argv.slice(1));
  const spec: QemuGuestSpec = {
    emulator,
    libvirt: argv.some((a) => a.includes('/libvirt/')) || args.some((a) => a.opt === 'object' && /masterKey0/.test(a.value ?? '')),
    debugThreads: false,
    accelCandidates: [],
    accelFrom: 'default',
    memoryMiB: 128,
    memoryFrom: 'default',
    vcpus: 1,
    paused: false,
    netdevs: [],
    devices: [],
    qmp: [],
  };
  const counters = new Map<string, number>();
  const autoId = (driver: string): string => {
    const n = counters.get(driver) ?? 0;
    counters.set(driver, n + 1);
    return `${driver}#${n}`;
  };
  const addDevice = (driver: string, from: QemuDevice['from'], p: Record<string, string>): QemuDevice => {
    const d: QemuDevice = {
      id: p.id || autoId(driver),
      driver,
      idExplicit: Boolean(p.id),
      from,
      netdev: p.netdev,
      mac: p.mac ?? p.macaddr,
      pciAddress: p.addr,
      bus: p.bus,
      drive: p.drive,
      cls: classifyDevice(driver),
    };
    spec.devices.push(d);
    return d;
  };
  const addNetdev = (type: string, p: Record<string, string>, fallbackId: string): QemuNetdev => {
    const nd: QemuNetdev = { id: p.id || fallbackId, type, ifname: p.ifname, fd: p.fd, vhost: qemuBool(p.vhost) === true || p.vhostfd !== undefined, bridge: p.br };
    spec.netdevs.push(nd);
    return nd;
  };
  const chardevs = new Map<string, Record<string, string>>();
  const monitors: string[] = [];
  let accelFromMachine: string[] = [];
  let enableKvm = false;
  const accelOpts: string[] = [];
  let nicCount = 0;
  const pending: QemuArg[] = [];

  // First pass: the machine type decides default device models used by the second pass.
  for (const a of args) {
    const v = a.value ?? '';
    switch (a.opt) {
      case 'machine':
      case 'M': {
        const o = parseQemuOpts(v, 'type');
        if (o.params.type) spec.machine = o.params.type;
        if (o.params.accel) accelFromMachine = o.params.accel.split(':').filter(Boolean);
        break;
      }
      case 'accel': {
        const o = parseQemuOpts(v, 'accel');
        if (o.params.accel) accelOpts.push(o.params.accel);
        break;
      }
      case 'enable-kvm':
        enableKvm = true;
        break;
      case 'name': {
        const o = parseQemuOpts(v, 'guest');
        spec.name = o.params.guest;
        spec.debugThreads = qemuBool(o.params['debug-threads']) === true;
        break;
      }
      case 'uuid':
        spec.uuid = v.toLowerCase();
        break;
      case 'm': {
        const o = parseQemuOpts(v, 'size');
        const bytes = o.params.size ? parseQemuSize(o.params.size, 'm') : undefined;
        if (bytes !== undefined) {
          spec.memoryMiB = Math.round(bytes / 1024 ** 2);
          spec.memoryFrom = 'cmdline';
        }
        break;
      }
      case 'smp': {
        const o = parseQemuOpts(v, 'cpus');
        const num = (k: string): number | undefined => (o.params[k] !== undefined && /^\d+$/.test(o.params[k]) ? Number(o.params[k]) : undefined);
        const cpus = num('cpus');
        if (cpus) spec.vcpus = cpus;
        else {
          const product = ['sockets', 'dies', 'clusters', 'cores', 'threads'].reduce((acc, k) => acc * (num(k) ?? 1), 1);
          if (product > 1) spec.vcpus = product;
        }
        break;
      }
      case 'S':
        spec.paused = true;
        break;
      case 'qmp':
      case 'qmp-pretty':
        spec.qmp.push(qmpFromChardevSpec(v, `-${a.opt} ${v}`));
        break;
      case 'chardev': {
        const o = parseQemuOpts(v, 'backend');
        if (o.params.id) chardevs.set(o.params.id, o.params);
        break;
      }
      case 'mon': {
        const o = parseQemuOpts(v, 'chardev');
        if (o.params.mode === 'control' && o.params.chardev) monitors.push(o.params.chardev);
        break;
      }
      default:
        pending.push(a);
    }
  }

  const q35 = /q35/.test(spec.machine ?? '');
  const defaultNic = q35 ? 'e1000e' : 'e1000';

  for (const a of pending) {
    const v = a.value ?? '';
    switch (a.opt) {
      case 'device': {
        const o = parseQemuOpts(v, 'driver');
        if (o.params.driver) addDevice(o.params.driver, '-device', o.params);
        break;
      }
      case 'netdev': {
        const o = parseQemuOpts(v, 'type');
        addNetdev(o.params.type ?? 'unknown', o.params, `netdev#${spec.netdevs.length}`);
        break;
      }
      case 'nic': {
        // `-nic TYPE,...,model=M` = a netdev plus a NIC device wired to it, in one option.
        const o = parseQemuOpts(v, 'type');
        const type = o.params.type ?? 'user';
        if (type === 'none') break;
        const nd = addNetdev(type, o.params, `__nic${nicCount++}`);
        addDevice(o.params.model ?? defaultNic, '-nic', { mac: o.params.mac, netdev: nd.id });
        break;
      }
      case 'net': {
        // Legacy hub networking: `-net nic,model=` is a device, `-net user|tap|...` a backend.
        const o = parseQemuOpts(v, 'type');
        const type = o.params.type ?? 'nic';
        if (type === 'nic') addDevice(o.params.model ?? defaultNic, '-net', { mac: o.params.macaddr, id: o.params.id ?? '', netdev: o.params.netdev ?? '' });
        else if (type !== 'none') addNetdev(type, o.params, `__net${spec.netdevs.length}`);
        break;
      }
      case 'drive': {
        const o = parseQemuOpts(v);
        const iface = o.params.if ?? 'ide';
        const cd = o.params.media === 'cdrom';
        const driver = iface === 'virtio' ? 'virtio-blk-pci' : iface === 'ide' ? (cd ? 'ide-cd' : 'ide-hd') : iface === 'scsi' ? (cd ? 'scsi-cd' : 'scsi-hd') : iface === 'floppy' ? 'floppy' : undefined;
        // if=none is a backend for a later -device drive=...; pflash/mtd/sd are firmware or board storage.
        if (driver) addDevice(driver, '-drive', { drive: o.params.id ?? o.params.file ?? '' });
        break;
      }
      case 'hda':
      case 'hdb':
      case 'hdc':
      case 'hdd':
      case 'cdrom':
      case '':
        addDevice(a.opt === 'cdrom' ? 'ide-cd' : 'ide-hd', '-hda', { drive: v });
        break;
      case 'vga': {
        const model = VGA_MODELS[v];
        if (model) addDevice(model, '-vga', {});
        break;
      }
      case 'usbdevice':
        addDevice(v === 'tablet' ? 'usb-tablet' : v === 'mouse' ? 'usb-mouse' : v === 'keyboard' ? 'usb-kbd' : `usb-${v}`, '-device', {});
        break;
      default:
        break;
    }
  }

  for (const mon of monitors) {
    const c = chardevs.get(mon);
    if (!c) continue;
    if (c.backend === 'socket' && c.path) spec.qmp.push({ path: c.path, how: `-chardev socket,path=${c.path} + -mon chardev=${mon},mode=control` });
    else spec.qmp.push({ how: `-mon chardev=${mon},mode=control on a ${c.backend ?? '?'} chardev${c.fd ? ` (inherited fd ${c.fd})` : ''}` });
  }

  inheritControllerPath(spec.devices);

  if (accelOpts.length) {
    spec.accelCandidates = accelOpts;
    spec.accelFrom = accelOpts.map((x) => `-accel ${x}`).join(' ');
  } else if (accelFromMachine.length) {
    spec.accelCandidates = accelFromMachine;
    spec.accelFrom = `-machine accel=${accelFromMachine.join(':')}`;
  } else if (enableKvm) {
    spec.accelCandidates = ['kvm'];
    spec.accelFrom = '-enable-kvm';
  } else if (basename(emulator) === 'qemu-kvm' || basename(emulator) === 'kvm') {
    spec.accelCandidates = ['kvm'];
    spec.accelFrom = `${basename(emulator)} defaults to KVM`;
  } else {
    spec.accelCandidates = ['tcg'];
    spec.accelFrom = 'no accelerator option: QEMU defaults to TCG';
  }
  return spec;
}

/** `unix:/path,server=on,wait=off` (or legacy `unix:/path,server,nowait`) -> endpoint. */
function qmpFromChardevSpec(v: string, how: string): QmpEndpoint {
  const first = splitEscaped(v)[0] ?? '';
  if (first.startsWith('unix:')) {
    const rest = first.slice(5);
    return { path: rest.startsWith('path=') ? rest.slice(5) : rest, how };
  }
  return { how };
}

/**
 * A SCSI disk is as paravirtual as the adapter it hangs on: on virtio-scsi its commands travel
 * through virtqueues, on an emulated LSI adapter through trapped registers.
 */
function inheritControllerPath(devices: QemuDevice[]): void {
  const byId = new Map(devices.filter((d) => d.idExplicit).map((d) => [d.id, d]));
  for (const d of devices) {
    if (!/^scsi-(hd|cd|disk)$/.test(d.driver) || !d.bus) continue;
    const ctrl = byId.get(d.bus.replace(/\.\d+$/, ''));
    if (!ctrl || ctrl.cls.virtualization !== 'paravirtual') continue;
    d.cls = {
      ...d.cls,
      virtualization: 'paravirtual',
      why: `${d.driver}: paravirtual path - a SCSI disk on the ${ctrl.driver} adapter ${ctrl.id}, so its commands travel through virtqueues rather than emulated adapter registers`,
    };
  }
}
