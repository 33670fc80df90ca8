import type { GraphBuilder } from '../model/builder';
import { firstLine, type ToolRunner } from '../sys/exec';
import { plural } from '../../shared/format';

/** Parse `VBoxManage list runningvms`: one `"name" {uuid}` per line. */
export function parseRunningVms(text: string): { name: string; uuid: string }[] {
  const out: { name: string; uuid: string }[] = [];
  for (const line of text.split('\n')) {
    const m = /^"(.*)"\s+\{([0-9a-fA-F-]{36})\}\s*$/.exec(line.trim());
    if (m) out.push({ name: m[1], uuid: m[2].toLowerCase() });
  }
  return out;
}

/** List running VirtualBox VMs through VBoxManage; an absent tool is a source state, not an error. */
export async function collectVirtualBox(runTool: ToolRunner, g: GraphBuilder, simulated: boolean): Promise<void> {
  const r = await runTool('VBoxManage', ['list', 'runningvms']);
  if (r.error === 'ENOENT') {
    g.source('virtualbox', { state: 'absent', detail: 'VBoxManage is not installed, so VirtualBox VMs are not listed.', fix: 'Install VirtualBox from virtualbox.org if you use it; nothing to do otherwise.' });
    return;
  }
  if (!r.ok) {
    g.source('virtualbox', { state: 'unavailable', detail: `VBoxManage list runningvms failed: ${firstLine(r.stderr) || r.error || `exit ${r.code}`}` });
    return;
  }
  const vms = parseRunningVms(r.stdout);
  for (const vm of vms) {
    g.node(`vm:${vm.uuid}`, 'vm', vm.name, { name: vm.name, uuid: vm.uuid, hypervisor: 'virtualbox', virtualbox: { state: 'running' }, simulated: simulated || undefined });
  }
  g.source('virtualbox', { state: 'ok', detail: `${plural(vms.length, 'running VirtualBox VM')}` });
}
