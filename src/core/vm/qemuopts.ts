/**
 * QEMU's command-line syntax: `-option value` pairs, where most values are `key=value` lists
 * separated by `,` with `,,` standing for a literal comma, and (QEMU >= 6.2, used by libvirt)
 * `-device`/`-netdev`/`-object`/`-blockdev` values may instead be a JSON object.
 */

/** One `-option value` occurrence, in command-line order. */
export interface QemuArg {
  /** Without leading dashes: `device`, `netdev`, `m` ... */
  opt: string;
  /** Undefined for flag options such as `-S` or `-enable-kvm`. */
  value?: string;
}

/** Options that take no argument (QEMU's qemu-options.hx, HAS_ARG absent). Everything else takes one. */
const FLAG_OPTIONS = new Set([
  'S', 's', 'snapshot', 'enable-kvm', 'no-kvm', 'nodefaults', 'no-user-config', 'nodefconfig', 'nographic', 'daemonize',
  'no-reboot', 'no-shutdown', 'no-hpet', 'no-acpi', 'full-screen', 'enable-fips', 'no-fd-bootchk', 'no-quit', 'alt-grab',
  'ctrl-grab', 'win2k-hack', 'rtc-td-hack', 'no-kvm-irqchip', 'no-kvm-pit', 'no-kvm-pit-reinjection', 'usb', 'preconfig',
  'semihosting', 'old-param', 'only-migratable', 'curses', 'portrait', 'no-frame', 'h', 'help', 'version', 'nodefconfig',
  'sdl', 'xen-attach', 'mem-prealloc',
]);

/** Split a QEMU argv (argv[0] excluded) into options; positional args (an implicit `-hda`) get opt ''. */
export function splitQemuArgs(argv: readonly string[]): QemuArg[] {
  const out: QemuArg[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('-') || a === '-') {
      out.push({ opt: '', value: a });
      continue;
    }
    // `--opt` is accepted as a synonym of `-opt`; `-opt=value` is not QEMU syntax.
    const opt = a.replace(/^--?/, '');
    if (FLAG_OPTIONS.has(opt) || i + 1 >= argv.length) out.push({ opt });
    else out.push({ opt, value: argv[++i] });
  }
  return out;
}

/** A parsed option value: the implied first item (driver, type ...) and the `key=value` pairs. */
export interface QemuOpts {
  /** Value of the implied key (`virtio-net-pci` in `virtio-net-pci,netdev=n0`), if the first item had no `=`. */
  implied?: string;
  params: Record<string, string>;
  /** True when the value was JSON (libvirt style); nested objects are kept as JSON text in params. */
  json: boolean;
}

/** Split on `,` but treat `,,` as a literal comma. */
export function splitEscaped(value: string): string[] {
  const items: string[] = [];
  let cur = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === ',') {
      if (value[i + 1] === ',') {
        cur += ',';
        i++;
      } else {
        items.push(cur);
        cur = '';
      }
    } else cur += c;
  }
  items.push(cur);
  return items;
}

/**
 * Parse a keyval option value. `impliedKey` names the first item when it has no `=` (driver for
 * -device, type for -netdev); with it, that item lands in both `implied` and `params[impliedKey]`.
 * A later bare `key` means `key=on`, and the legacy `nowait`/`nodelay` mean `wait=off`/`delay=off`.
 */
export function parseQemuOpts(value: string, impliedKey?: string): QemuOpts {
  const trimmed = value.trim();
  if (trimmed.startsWith('{')) {
    try {
      const obj: unknown = JSON.parse(trimmed);
      if (obj && typeof obj === 'object' && !Array.isArray(obj)) {
        const params: Record<string, string> = {};
        for (const [k, v] of Object.entries(obj as Record<string, unknown>)) {
          params[k] = typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v === true ? 'on' : v === false ? 'off' : v) : JSON.stringify(v);
        }
        const implied = impliedKey ? params[impliedKey] : undefined;
        return { implied, params, json: true };
      }
    } catch {
      /* not JSON after all: fall through to keyval, which keeps the text */
    }
  }
  const params: Record<string, string> = {};
  let implied: string | undefined;
  splitEscaped(value).forEach((item, idx) => {
    const eq = item.indexOf('=');
    if (eq < 0) {
      if (idx === 0 && impliedKey !== undefined) {
        implied = item;
        params[impliedKey] = item;
      } else if (item === 'nowait' || item === 'nodelay') params[item.slice(2)] = 'off';
      else if (item) params[item] = 'on';
      return;
    }
    params[item.slice(0, eq)] = item.slice(eq + 1);
  });
  return { implied, params, json: false };
}

/** QEMU's on/off spellings, as accepted by its boolean properties. */
export function qemuBool(v: string | undefined): boolean | undefined {
  if (v === undefined) return undefined;
  if (['on', 'yes', 'true', 'y', '1'].includes(v)) return true;
  if (['off', 'no', 'false', 'n', '0'].includes(v)) return false;
  return undefined;
}

const SIZE_UNITS: Record<string, number> = { b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4, p: 1024 ** 5, e: 1024 ** 6 };

/** A QEMU size (`128`, `512M`, `2G`, `2097152k`, `1.5G`) in bytes; a bare number is `defaultUnit`. */
export function parseQemuSize(v: string, defaultUnit: 'b' | 'm' = 'b'): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([bkmgtpe])?(?:i?b)?\s*$/i.exec(v);
  if (!m) return undefined;
  const unit = (m[2] ?? defaultUnit).toLowerCase();
  return Math.round(Number(m[1]) * SIZE_UNITS[unit]);
}
