/** The fields of /proc/<pid>/status the process scan uses. */
export interface ProcStatus {
  name?: string;
  /** The state letter (R, S, D, Z, T, I ...). */
  state?: string;
  ppid?: number;
  /** Real UID. */
  uid?: number;
  /** This process's PID in each PID namespace, outermost (the proc mount's) first; length - 1 = nesting level. */
  nspid?: number[];
  threads?: number;
}

// status escapes newlines and backslashes in Name (proc_task_name with ESCAPE_SPACE|ESCAPE_SPECIAL).
function unescapeName(s: string): string {
  return s.replace(/\\(n|\\)/g, (_, c: string) => (c === 'n' ? '\n' : '\\'));
}

/** Parse the text of /proc/<pid>/status; a truncated file yields the fields present before the cut. */
export function parseStatus(text: string): ProcStatus {
  const st: ProcStatus = {};
  for (const line of text.split('\n')) {
    const tab = line.indexOf(':');
    if (tab < 0) continue;
    const key = line.slice(0, tab);
    const val = line.slice(tab + 1).replace(/^\s+/, '');
    switch (key) {
      case 'Name':
        st.name = unescapeName(val);
        break;
      case 'State':
        if (/^[A-Za-z]/.test(val)) st.state = val[0];
        break;
      case 'PPid':
        if (/^\d+$/.test(val)) st.ppid = Number(val);
        break;
      case 'Uid': {
        const real = val.split(/\s+/)[0];
        if (/^\d+$/.test(real)) st.uid = Number(real);
        break;
      }
      case 'NSpid': {
        const ids = val.trim().split(/\s+/);
        if (ids.length && ids.every((x) => /^\d+$/.test(x))) st.nspid = ids.map(Number);
        break;
      }
      case 'Threads':
        if (/^\d+$/.test(val.trim())) st.threads = Number(val);
        break;
    }
  }
  return st;
}

/** Split /proc/<pid>/cmdline (NUL-separated, usually NUL-terminated) into argv. */
export function parseCmdline(text: string): string[] {
  if (!text) return [];
  const parts = text.split('\0');
  if (parts[parts.length - 1] === '') parts.pop();
  return parts;
}
