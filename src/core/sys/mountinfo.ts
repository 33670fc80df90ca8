/** One line of /proc/<pid>/mountinfo (proc(5)), with octal escapes in paths decoded. */
export interface MountInfoEntry {
  mountId: number;
  parentId: number;
  majorMinor: string;
  root: string;
  mountPoint: string;
  options: string[];
  fsType: string;
  source: string;
  superOptions: string[];
}

function unescape(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
}

/** Parse mountinfo text; malformed lines are returned in `bad` instead of throwing. */
export function parseMountInfo(text: string): { entries: MountInfoEntry[]; bad: number } {
  const entries: MountInfoEntry[] = [];
  let bad = 0;
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const fields = line.split(' ');
    const dash = fields.indexOf('-');
    if (dash < 6 || fields.length < dash + 3) {
      bad++;
      continue;
    }
    const mountId = Number(fields[0]);
    const parentId = Number(fields[1]);
    if (!Number.isFinite(mountId) || !Number.isFinite(parentId)) {
      bad++;
      continue;
    }
    entries.push({
      mountId,
      parentId,
      majorMinor: fields[2],
      root: unescape(fields[3]),
      mountPoint: unescape(fields[4]),
      options: fields[5].split(','),
      fsType: fields[dash + 1],
      source: unescape(fields[dash + 2]),
      superOptions: (fields[dash + 3] ?? '').split(','),
    });
  }
  return { entries, bad };
}
