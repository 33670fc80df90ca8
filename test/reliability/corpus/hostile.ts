// Hostile strings for the injection category: each would run a command (touching a marker file)
// if anything handed it to a shell, or a script if a page rendered it as HTML.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

export const MARK = '/tmp/vlr9a-pwned';

/** Strings for free-text fields (labels, aliases, OVS external_ids, command lines). */
export const HOSTILE: string[] = [
  `$(touch ${MARK}-1)`,
  `\`touch ${MARK}-2\``,
  `x; touch ${MARK}-3;`,
  `line1\ntouch ${MARK}-4`,
  `-rf --help --exec=touch ${MARK}-5`,
  `</script><script>document.title='vlr9a-${'pwned'}'</script>`,
  `<img src=x onerror="fetch('/vlr9a-pwned')">`,
  `'" | & > ${MARK}-6 < \\ \${IFS}`,
  'ünïcødé ☃ 𝔘 \u202eRTL\u202c zero\u200bwidth',
  '%s%n%x{{7*7}}${7*7}',
];

/** netns names: `ip netns add` refuses only '/', '.' and '..', so most of the above fit, minus slashes. */
export const HOSTILE_NETNS: string[] = [
  'vlr9a-$(touch vlr9a-pwned-n1)',
  'vlr9a-`touch vlr9a-pwned-n2`',
  'vlr9a;touch vlr9a-pwned-n3',
  'vlr9a-\ntouch vlr9a-pwned-n4',
  '-vlr9a-dash',
  'vlr9a-<img src=x onerror=alert(1)>',
  "vlr9a-'\"*?|&",
  'vlr9a-ünï☃',
];

/** Interface names: at most 15 bytes, no '/', ':' or whitespace (the kernel's rule). */
export const HOSTILE_IFNAMES: string[] = ['vl9$(id)', 'vl9`id`', 'vl9;id', '-vl9dash', 'vl9<img>', 'vl9ä☃', `vl9"'*?|&`, 'vl9>x'];

/** 16+ bytes: the kernel must refuse these; VirtLab never sees them. */
export const TOO_LONG_IFNAMES: string[] = ['vlr9a-sixteen-by', 'vlr9a-ünïcødé☃'];

/** Markers a shell would have created (absolute ones, and relative ones in `cwd`). */
export function markersFound(cwd: string): string[] {
  const out: string[] = [];
  for (let i = 1; i <= 6; i++) if (existsSync(`${MARK}-${i}`)) out.push(`${MARK}-${i}`);
  for (let i = 1; i <= 4; i++) if (existsSync(`${cwd}/vlr9a-pwned-n${i}`)) out.push(`${cwd}/vlr9a-pwned-n${i}`);
  return out;
}

export function sh(file: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeout?: number; input?: string } = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const c = execFile(file, args, { cwd: opts.cwd, env: opts.env ?? process.env, timeout: opts.timeout ?? 120000, maxBuffer: 512 * 1024 * 1024, encoding: 'utf8' }, (e, stdout, stderr) => {
      resolve({ code: e ? (typeof (e as { code?: unknown }).code === 'number' ? ((e as { code: number }).code) : 1) : 0, stdout, stderr });
    });
    if (opts.input !== undefined) c.stdin?.end(opts.input);
  });
}

/**
 * Programs started under `strace -f -e trace=execve -o FILE`: the path of every successful execve
 * (strace prints `= 0` for those; failed PATH lookups end `= -1 ENOENT` and ran nothing).
 */
export function execvedPrograms(traceFile: string): string[] {
  const out: string[] = [];
  const pending = new Map<string, string>();
  for (const line of readFileSync(traceFile, 'utf8').split('\n')) {
    const pid = /^(\d+)\s/.exec(line)?.[1] ?? '';
    const call = /execve\("((?:[^"\\]|\\.)*)",/.exec(line);
    if (call && /<unfinished \.\.\.>\s*$/.test(line)) pending.set(pid, call[1]!);
    else if (call && /\)\s*=\s*0\s*$/.test(line)) out.push(call[1]!);
    else if (/<\.\.\. execve resumed>.*=\s*0\s*$/.test(line) && pending.has(pid)) out.push(pending.get(pid)!);
  }
  return out;
}
