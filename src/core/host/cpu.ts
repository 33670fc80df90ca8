/** What /proc/cpuinfo says about virtualization. */
export interface CpuInfo {
  model?: string;
  logicalCpus: number;
  /** Hardware virtualization extension exposed to this kernel: Intel VT-x (vmx) or AMD-V (svm). */
  extension?: 'vmx' | 'svm';
  /** The `hypervisor` flag: this kernel runs as a guest of some hypervisor. */
  hypervisorFlag: boolean;
}

/** Parse /proc/cpuinfo text (x86 `flags`, other arches' `Features`). */
export function parseCpuInfo(text: string): CpuInfo {
  let model: string | undefined;
  let logicalCpus = 0;
  const flags = new Set<string>();
  for (const line of text.split('\n')) {
    const i = line.indexOf(':');
    if (i < 0) continue;
    const key = line.slice(0, i).trim();
    const value = line.slice(i + 1).trim();
    if (key === 'processor') logicalCpus++;
    else if ((key === 'model name' || key === 'Hardware' || key === 'cpu model') && !model) model = value;
    else if ((key === 'flags' || key === 'Features') && flags.size === 0) for (const f of value.split(/\s+/)) flags.add(f);
  }
  const extension = flags.has('vmx') ? 'vmx' : flags.has('svm') ? 'svm' : undefined;
  return { model, logicalCpus, extension, hypervisorFlag: flags.has('hypervisor') };
}
