import { existsSync } from 'node:fs';
import type { GraphNode, Snapshot } from '../../model/graph';
import { which } from '../../sys/which';
import { fail, ok } from '../probe';
import type { CheckContext, CheckResult } from '../types';
import type { LabChecks } from './registry';
import { plural } from '../../../shared/format';

// Guided lab 8: the QEMU guests as the Virtual Machines view shows them (VM and VM-device nodes
// built from /proc, the command line and QMP). Where KVM or QEMU is missing, say so plainly.

/** Why this machine cannot run the lab, or undefined when it can. */
async function missingPieces(ctx: CheckContext): Promise<string | undefined> {
  const qemu = await which('qemu-system-x86_64', ctx.options.path);
  const kvm = existsSync(`${ctx.options.roots.dev}/kvm`);
  if (qemu && kvm) return undefined;
  const parts = [
    !kvm ? `${ctx.options.roots.dev}/kvm does not exist, so KVM is not available here (no hardware virtualization, or the kvm module is not loaded)` : '',
    !qemu ? 'qemu-system-x86_64 is not installed (Debian/Ubuntu: sudo apt-get install qemu-system-x86)' : '',
  ].filter(Boolean);
  return `${parts.join('; ')}. What you would see: the guest in the Virtual Machines view with accelerator "kvm", its e1000 NIC under "emulated" and a virtio-net NIC under "paravirtual".`;
}

function devicesOf(s: Snapshot, vm: GraphNode): GraphNode[] {
  const ids = new Set(s.edges.filter((e) => e.kind === 'contains' && e.from === vm.id).map((e) => e.to));
  return s.nodes.filter((n) => n.kind === 'vm-device' && (ids.has(n.id) || n.props.vmId === vm.id));
}

async function guestWithNic(ctx: CheckContext, name: string, driver: RegExp, kind: 'emulated' | 'paravirtual'): Promise<CheckResult> {
  const missing = await missingPieces(ctx);
  if (missing) return fail(missing);
  const s = await ctx.snapshot();
  const vms = s.nodes.filter((n) => n.kind === 'vm');
  const vm = vms.find((n) => n.props.name === name);
  if (!vm) return fail(`No running QEMU guest named ${name} (VirtLab sees ${plural(vms.length, 'guest')}${vms.length ? `: ${vms.map((v) => String(v.props.name ?? v.label)).join(', ')}` : ''}).`);
  const acc = String(vm.props.accelerator ?? 'unknown');
  const qmp = vm.props.qmp as { status?: string; kvm?: { enabled?: boolean } } | undefined;
  if (acc !== 'kvm') return fail(`${name} (PID ${String(vm.props.pid)}) runs with accelerator ${acc}, not kvm.`);
  const nic = devicesOf(s, vm).find((d) => driver.test(String(d.props.driver)));
  if (!nic) return fail(`${name} (PID ${String(vm.props.pid)}) has no ${driver.source} device (devices: ${devicesOf(s, vm).map((d) => String(d.props.driver)).join(', ')}).`);
  if (nic.props.virtualization !== kind) return fail(`${name}'s ${String(nic.props.driver)} is classed ${String(nic.props.virtualization)}, expected ${kind}.`);
  return ok(`${name}: QEMU PID ${String(vm.props.pid)}, accelerator kvm (${qmp?.kvm?.enabled ? 'QMP query-kvm: enabled' : 'KVM fds held'}), QMP status ${qmp?.status ?? 'unknown'}; NIC ${String(nic.props.driver)} at PCI ${String(nic.props.pciAddress ?? '?')} is ${kind}.`);
}

export const kvmChecks: LabChecks = {
  e1000: (ctx) => guestWithNic(ctx, 'vlg-e1000', /^e1000$/, 'emulated'),
  virtio: (ctx) => guestWithNic(ctx, 'vlg-virtio', /^virtio-net/, 'paravirtual'),
};
