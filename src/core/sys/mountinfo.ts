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
  if (!s.includes('\\')) return s;
  return s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
}

/** The mount point field of a mountinfo line, still escaped; '' when the line is too short. */
export function mountPointField(line: string): string {
  let i = 0;
  for (let k = 0; k < 4; k++) {
    i = line.indexOf(' ', i) + 1;
    if (!i) return '';
  }
  const j = line.indexOf(' ', i);
  return j < 0 ? '' : line.slice(i, j);
}

/**
 * Parse mountinfo text; malformed lines are returned in `bad` instead of throwing. `keep` skips
 * lines before they are split: callers want a few of hundreds of lines (a scan reads one table
 * per mount namespace, and splitting every option list of every line dominated that).
 */
export function parseMountInfo(text: string, keep?: (line: string) => boolean): { entries: MountInfoEntry[]; bad: number } {
  const entries: MountInfoEntry[] = [];
  let bad = 0;
  for (const line of text.split('\n')) {
    if (!line.trim() || (keep && !keep(line))) continue;
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
