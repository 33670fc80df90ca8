import { promises as fsp } from 'node:fs';
import type { SkipEntry } from '../model/graph';
import { sharedCmdline } from '../proc/procfs';
import type { ScanMemo } from '../scanMemo';
import { isQemuEmulator } from './cmdline';

/** What /proc shows about one running QEMU process. */
export interface QemuProcess {
  pid: number;
  argv: string[];
  rssKiB?: number;
  /** Every thread with its comm; vCPU threads are `CPU n/KVM` when debug-threads=on. */
  threads: { tid: number; comm: string }[];
  /**
   * KVM file descriptors the process holds (`anon_inode:kvm-vm`, `anon_inode:kvm-vcpu:N`): hard
   * proof that KVM runs this guest. Undefined when the fd table could not be read.
   */
  kvmFds?: { vm: boolean; vcpus: number };
  /** fd number -> tap interface name, from /proc/<pid>/fdinfo (`iff:` line of /dev/net/tun fds). */
  tapFds: Record<string, string>;
  /** fds open on /dev/vhost-net: the kernel moves packets for this guest. */
  vhostNetFds: number;
}

function errCode(e: unknown): string {
  return (e as NodeJS.ErrnoException).code ?? 'EIO';
}

async function readOpt(path: string): Promise<string | undefined> {
  try {
    return await fsp.readFile(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** argv from /proc/<pid>/cmdline (NUL-separated, usually NUL-terminated). */
export function splitCmdline(raw: string): string[] {
  const parts = raw.split('\0');
  if (parts.length && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

async function readThreads(dir: string): Promise<{ tid: number; comm: string }[]> {
  let tids: string[];
  try {
    tids = await fsp.readdir(`${dir}/task`);
  } catch {
    return [];
  }
  const out = await Promise.all(
    tids.filter((t) => /^\d+$/.test(t)).map(async (t) => {
      const comm = await readOpt(`${dir}/task/${t}/comm`);
      return comm === undefined ? undefined : { tid: Number(t), comm: comm.replace(/\n$/, '') };
    }),
  );
  return out.filter((x): x is { tid: number; comm: string } => Boolean(x)).sort((a, b) => a.tid - b.tid);
}

async function readFds(dir: string): Promise<Pick<QemuProcess, 'kvmFds' | 'tapFds' | 'vhostNetFds'>> {
  let fds: string[];
  try {
    fds = await fsp.readdir(`${dir}/fd`);
  } catch {
    return { tapFds: {}, vhostNetFds: 0 };
  }
  let vm = false;
  let vcpus = 0;
  let vhostNetFds = 0;
  const tapFds: Record<string, string> = {};
  await Promise.all(
    fds.map(async (fd) => {
      let target: string;
      try {
        target = await fsp.readlink(`${dir}/fd/${fd}`);
      } catch {
        return; // closed between readdir and readlink
      }
      if (target === 'anon_inode:kvm-vm') vm = true;
      else if (target.startsWith('anon_inode:kvm-vcpu:')) vcpus++;
      else if (target === '/dev/vhost-net') vhostNetFds++;
      else if (target === '/dev/net/tun') {
        const info = await readOpt(`${dir}/fdinfo/${fd}`);
        const m = info ? /^iff:\s*(\S+)/m.exec(info) : null;
        if (m) tapFds[fd] = m[1];
      }
    }),
  );
  return { kvmFds: { vm, vcpus }, tapFds, vhostNetFds };
}

/** Every QEMU system emulator process under procRoot; unreadable or vanished processes are skipped, not fatal. */
export async function findQemuProcesses(procRoot: string, memo?: ScanMemo): Promise<{ processes: QemuProcess[]; skipped: SkipEntry[] }> {
  const skipped: SkipEntry[] = [];
  let entries: string[];
  try {
    entries = await fsp.readdir(procRoot);
  } catch (e) {
    skipped.push({ source: 'vm', path: procRoot, reason: 'cannot list the proc root', code: errCode(e) });
    return { processes: [], skipped };
  }
  const found = await Promise.all(
    entries.filter((e) => /^\d+$/.test(e)).map(async (pidText): Promise<QemuProcess | undefined> => {
      const dir = `${procRoot}/${pidText}`;
      let raw: string;
      try {
        raw = await sharedCmdline(memo, `${dir}/cmdline`);
      } catch (e) {
        // Most of these are processes that exited during the scan; only report the others.
        if (errCode(e) !== 'ENOENT' && errCode(e) !== 'ESRCH') skipped.push({ source: 'vm', path: `${dir}/cmdline`, reason: 'unreadable command line', code: errCode(e) });
        return undefined;
      }
      const argv = splitCmdline(raw);
      if (!argv.length || !isQemuEmulator(argv[0])) return undefined;
      const status = await readOpt(`${dir}/status`);
      if (status === undefined) {
        skipped.push({ source: 'vm', path: `${dir}/status`, reason: 'QEMU process vanished during the scan', code: 'ENOENT' });
        return undefined;
      }
      const rss = /^VmRSS:\s+(\d+)\s*kB/m.exec(status);
      const [threads, fds] = await Promise.all([readThreads(dir), readFds(dir)]);
      return { pid: Number(pidText), argv, rssKiB: rss ? Number(rss[1]) : undefined, threads, ...fds };
    }),
  );
  return { processes: found.filter((p): p is QemuProcess => Boolean(p)).sort((a, b) => a.pid - b.pid), skipped };
}
