/**
 * The full- vs para-virtualization lesson, one QEMU device model at a time: which devices the
 * guest drives as if they were real hardware (every register access traps into QEMU), which ones
 * the guest knows are virtual (virtio/vhost: shared-memory rings, few exits), and which ones are
 * real hardware handed to the guest (passthrough).
 */

export type DeviceCategory = 'network' | 'storage' | 'display' | 'usb' | 'other';
export type Virtualization = 'paravirtual' | 'emulated' | 'passthrough';

export interface DeviceClass {
  category: DeviceCategory;
  virtualization: Virtualization;
  why: string;
  /** False when the driver is not in VirtLab's table and the class is an inference. */
  known: boolean;
}

interface Rule {
  match: RegExp;
  category: DeviceCategory;
  virtualization: Virtualization;
  /** `%s` is replaced by the driver name. */
  why: string;
}

const PV_RING = 'exchanges data with the host through shared-memory virtqueues instead of trapping on emulated registers';

// Order matters: the first match wins, so specific names come before families.
const RULES: Rule[] = [
  // --- paravirtual: virtio and vhost ---
  { match: /^virtio-net(-|$)/, category: 'network', virtualization: 'paravirtual', why: `%s: paravirtual - the guest's virtio-net driver knows it runs in a VM and ${PV_RING}` },
  { match: /^vhost-user-net/, category: 'network', virtualization: 'paravirtual', why: '%s: paravirtual - a virtio NIC whose data path is served by another host process (e.g. OVS-DPDK) through shared memory, bypassing QEMU' },
  { match: /^virtio-blk(-|$)/, category: 'storage', virtualization: 'paravirtual', why: `%s: paravirtual - the guest's virtio-blk driver ${PV_RING}, one request per descriptor chain` },
  { match: /^virtio-scsi(-|$)/, category: 'storage', virtualization: 'paravirtual', why: `%s: paravirtual - a SCSI host adapter without hardware registers to emulate; the guest driver ${PV_RING}` },
  { match: /^vhost-(user-)?(blk|scsi)/, category: 'storage', virtualization: 'paravirtual', why: '%s: paravirtual - a virtio disk whose requests are served outside QEMU (kernel vhost or a vhost-user process) through shared virtqueues' },
  { match: /^vhost-user-fs/, category: 'storage', virtualization: 'paravirtual', why: '%s: paravirtual - virtiofs, a host directory shared with the guest over virtqueues served by virtiofsd' },
  { match: /^virtio-9p/, category: 'storage', virtualization: 'paravirtual', why: '%s: paravirtual - a host directory shared over the 9P protocol carried in virtqueues' },
  { match: /^virtio-(pmem|mem)/, category: 'storage', virtualization: 'paravirtual', why: '%s: paravirtual - memory the guest knows is provided by the hypervisor and can be resized or persisted cooperatively' },
  { match: /^virtio-(gpu|vga)/, category: 'display', virtualization: 'paravirtual', why: '%s: paravirtual - the guest sends drawing commands through virtqueues instead of poking an emulated VGA framebuffer' },
  { match: /^qxl/, category: 'display', virtualization: 'paravirtual', why: '%s: paravirtual - a graphics device designed for VMs (SPICE); the guest driver sends drawing commands, not register writes' },
  { match: /^(virtio-(keyboard|mouse|tablet|input)|virtio-input-host)/, category: 'other', virtualization: 'paravirtual', why: `%s: paravirtual - input events delivered through virtqueues instead of an emulated PS/2 or USB controller` },
  { match: /^(virtio-serial|virtconsole|virtserialport)/, category: 'other', virtualization: 'paravirtual', why: `%s: paravirtual - guest-host channels (consoles, guest agent) over virtqueues instead of an emulated UART` },
  { match: /^virtio-balloon/, category: 'other', virtualization: 'paravirtual', why: '%s: paravirtual - the guest cooperates with the host by handing back memory it does not need; only a VM-aware driver can do that' },
  { match: /^virtio-rng/, category: 'other', virtualization: 'paravirtual', why: '%s: paravirtual - the guest reads host entropy through a virtqueue' },
  { match: /^(vhost-vsock|vhost-user-vsock)/, category: 'other', virtualization: 'paravirtual', why: '%s: paravirtual - AF_VSOCK sockets between guest and host, carried in virtqueues served by the host kernel' },
  { match: /^virtio-/, category: 'other', virtualization: 'paravirtual', why: `%s: paravirtual - a virtio device: the guest driver knows it runs in a VM and ${PV_RING}` },
  { match: /^vhost-/, category: 'other', virtualization: 'paravirtual', why: '%s: paravirtual - a virtio device whose data path is served outside QEMU (vhost) through shared virtqueues' },
  { match: /^vmxnet3$/, category: 'network', virtualization: 'paravirtual', why: "%s: paravirtual - VMware's VM-aware NIC interface (descriptor rings in guest memory), which QEMU implements for guests that ship its driver" },
  { match: /^pvscsi$/, category: 'storage', virtualization: 'paravirtual', why: "%s: paravirtual - VMware's VM-aware SCSI adapter interface (request rings in guest memory), implemented by QEMU" },
  { match: /^pvpanic/, category: 'other', virtualization: 'paravirtual', why: '%s: paravirtual - lets a guest that knows it is virtual tell the host it crashed' },
  // --- passthrough: real hardware given to the guest ---
  { match: /^vfio-/, category: 'other', virtualization: 'passthrough', why: '%s: passthrough - a real host device (often an SR-IOV VF) assigned to the guest through VFIO and the IOMMU; the guest runs the hardware vendor driver, QEMU is out of the data path' },
  { match: /^usb-host$/, category: 'usb', virtualization: 'passthrough', why: '%s: passthrough - a real USB device on the host forwarded into the guest' },
  { match: /^scsi-(block|generic)$/, category: 'storage', virtualization: 'passthrough', why: '%s: passthrough - SCSI commands go to a real host SCSI device' },
  // --- emulated network cards ---
  { match: /^(e1000|e1000-82540em|e1000-82544gc|e1000-82545em)$/, category: 'network', virtualization: 'emulated', why: "%s: emulated - QEMU imitates Intel's 82540EM gigabit card register by register; an unmodified guest driver works, but every register access traps into QEMU" },
  { match: /^(e1000e|igb)$/, category: 'network', virtualization: 'emulated', why: '%s: emulated - QEMU imitates a real Intel PCIe NIC so stock drivers work; each register access is a VM exit handled in software' },
  { match: /^rtl8139$/, category: 'network', virtualization: 'emulated', why: "%s: emulated - QEMU imitates Realtek's 8139 card, supported by almost every OS, at the cost of trapping on each I/O port access" },
  { match: /^(ne2k_pci|ne2k_isa)$/, category: 'network', virtualization: 'emulated', why: '%s: emulated - an NE2000 from the early 1990s, copied byte by byte through emulated I/O ports' },
  { match: /^(pcnet|lance)$/, category: 'network', virtualization: 'emulated', why: '%s: emulated - QEMU imitates the AMD PCnet card register by register' },
  { match: /^(i8255\d\w*|i82801|tulip|sungem|usb-net|mipsnet|smc91c111|lan9118|rocker|ftgmac100|imx\.enet|cadence_gem|xgmac|milkymist-minimac2|opencores_eth|dp8393x)$/, category: 'network', virtualization: 'emulated', why: '%s: emulated - QEMU imitates this real network card in software; every register access traps' },
  // --- emulated storage ---
  { match: /^(ide-hd|ide-cd|ide-drive)$/, category: 'storage', virtualization: 'emulated', why: '%s: emulated - an IDE/ATA disk: the guest programs ATA registers through I/O ports and QEMU emulates each access' },
  { match: /^(ahci|ich9-ahci)$/, category: 'storage', virtualization: 'emulated', why: "%s: emulated - QEMU imitates Intel's ICH9 SATA (AHCI) controller so stock SATA drivers work" },
  { match: /^(piix3-ide|piix4-ide|piix3-ide-xen|cmd646-ide|via-ide|isa-ide)$/, category: 'storage', virtualization: 'emulated', why: '%s: emulated - an IDE controller of a real chipset, emulated register by register' },
  { match: /^(lsi53c895a|lsi53c810|lsi|megasas|megasas-gen2|mptsas1068|am53c974|dc390|esp)$/, category: 'storage', virtualization: 'emulated', why: '%s: emulated - QEMU imitates this real SCSI/RAID host adapter so its stock driver works' },
  { match: /^nvme$/, category: 'storage', virtualization: 'emulated', why: '%s: emulated - QEMU imitates an NVMe controller; its queue design makes it faster than IDE, but the guest still drives emulated hardware' },
  { match: /^(floppy|isa-fdc|sysbus-fdc|sdhci-pci|sd-card|pflash_cfi01|pflash_cfi02)$/, category: 'storage', virtualization: 'emulated', why: '%s: emulated - legacy storage hardware imitated in software' },
  { match: /^scsi-(hd|cd|disk)$/, category: 'storage', virtualization: 'emulated', why: '%s: emulated - a SCSI disk: the guest sends SCSI commands and QEMU interprets them; how fast they travel depends on the host adapter it sits on' },
  { match: /^(usb-storage|usb-uas|usb-bot)$/, category: 'usb', virtualization: 'emulated', why: '%s: emulated - a USB mass-storage device; the guest speaks USB to an emulated controller' },
  // --- emulated display ---
  { match: /^(VGA|isa-vga|secondary-vga)$/, category: 'display', virtualization: 'emulated', why: '%s: emulated - the standard VGA adapter (Bochs VBE): the guest writes to a framebuffer and VGA registers that QEMU emulates' },
  { match: /^cirrus-vga$|^isa-cirrus-vga$/, category: 'display', virtualization: 'emulated', why: '%s: emulated - QEMU imitates a Cirrus Logic GD5446 card from the 1990s, register by register' },
  { match: /^(bochs-display|ramfb|ati-vga|vmware-svga)$/, category: 'display', virtualization: 'emulated', why: '%s: emulated - a display adapter imitated in software; the guest writes to an emulated framebuffer' },
  // --- emulated USB ---
  { match: /^usb-/, category: 'usb', virtualization: 'emulated', why: '%s: emulated - a USB device behind an emulated USB host controller' },
  { match: /(-usb-|usb-|-ehci|-uhci|-ohci|xhci)/, category: 'usb', virtualization: 'emulated', why: '%s: emulated - QEMU imitates a real USB host controller (UHCI/EHCI/xHCI) register by register' },
  // --- everything else a PC has ---
  { match: /^(isa-serial|pci-serial|pci-serial-\dx|isa-parallel|i8042|isa-debugcon|pc-testdev|isa-debug-exit)$/, category: 'other', virtualization: 'emulated', why: '%s: emulated - legacy PC hardware (UART, parallel port, PS/2) imitated one I/O port access at a time' },
  { match: /^(intel-hda|ich9-intel-hda|hda-duplex|hda-output|hda-micro|AC97|sb16|es1370|cs4231a|adlib|gus|usb-audio)$/, category: 'other', virtualization: 'emulated', why: '%s: emulated - a real sound card or codec imitated in software' },
  { match: /^(i6300esb|ib700|diag288)$/, category: 'other', virtualization: 'emulated', why: '%s: emulated - a hardware watchdog imitated in software' },
  { match: /^(pcie-root-port|ioh3420|x3130-upstream|xio3130-downstream|pci-bridge|pcie-pci-bridge|i82801b11-bridge|pxb|pxb-pcie|dmi-to-pci-bridge)$/, category: 'other', virtualization: 'emulated', why: '%s: emulated - a PCI/PCIe bridge or port that gives the virtual machine a real-looking PCI topology' },
  { match: /^(tpm-tis|tpm-crb|tpm-spapr)$/, category: 'other', virtualization: 'emulated', why: '%s: emulated - a TPM interface imitated by QEMU (often backed by swtpm)' },
];

/** Classify a QEMU device model (`-device` driver name) as paravirtual, emulated or passthrough, with a one-sentence why. */
export function classifyDevice(driver: string): DeviceClass {
  for (const r of RULES) {
    if (r.match.test(driver)) return { category: r.category, virtualization: r.virtualization, why: r.why.replace('%s', driver), known: true };
  }
  return {
    category: 'other',
    virtualization: 'emulated',
    why: `${driver}: emulated (assumed) - not a virtio/vhost device, so the guest drives an imitation of hardware that QEMU implements in software`,
    known: false,
  };
}

/** PCI vendor id of virtio devices (Red Hat / Qumranet); the one hard fact query-pci gives about para-virtualization. */
export const VIRTIO_PCI_VENDOR = 0x1af4;

/** Category of a PCI device from its class code (query-pci `class_info.class`, base class in the high byte). */
export function categoryOfPciClass(cls: number): DeviceCategory {
  const base = cls >> 8;
  if (base === 0x02) return 'network';
  if (base === 0x01) return 'storage';
  if (base === 0x03) return 'display';
  if (cls === 0x0c03) return 'usb';
  return 'other';
}

/** Why text for a PCI device QEMU's machine type created by itself (no -device on the command line). */
export function classifyBuiltinPci(desc: string, vendor: number, cls: number): DeviceClass {
  const category = categoryOfPciClass(cls);
  if (vendor === VIRTIO_PCI_VENDOR) {
    return { category, virtualization: 'paravirtual', why: `${desc}: paravirtual - PCI vendor 0x1af4 marks a virtio device; the guest driver ${PV_RING}`, known: true };
  }
  return { category, virtualization: 'emulated', why: `${desc}: emulated - part of the virtual chipset QEMU builds for this machine type, imitated register by register`, known: true };
}
