import type { ScanOptions } from '../context';
import { run, type RunResult } from '../sys/exec';
import { which } from '../sys/which';
import { IFNAME_RE } from '../net/ifname';
import { isObj, optBool as bool, optNum as num, optStr as str, type JsonObject as Obj } from '../sys/json';

/**
 * Per-VF settings the PF driver holds (MAC, VLAN, spoof check, trust, link state, rates): only
 * netlink shows them, so they come from `ip -j link show dev <pf>` (`vfinfo_list`).
 */
export interface VfInfo {
  vf: number;
  mac?: string;
  vlan?: number;
  qos?: number;
  vlanProtocol?: string;
  spoofCheck?: boolean;
  trust?: boolean;
  /** auto (follow the PF), enable (always up), disable. */
  linkState?: string;
  maxTxRateMbps?: number;
  minTxRateMbps?: number;
}

export interface PfLinkInfo {
  ifname: string;
  mac?: string;
  operstate?: string;
  vfs: VfInfo[];
}

/** Runs `ip -j link show dev <pf>`; injectable so unit tests replay recorded output. */
export type IpLinkReader = (ifname: string) => Promise<RunResult>;


/** The real reader: the `ip` on opts.path, with the scan timeout. */
export function ipLinkReader(opts: ScanOptions): IpLinkReader {
  let bin: Promise<string | undefined> | undefined;
  return async (ifname) => {
    if (!IFNAME_RE.test(ifname)) return { ok: false, code: null, stdout: '', stderr: `refusing odd interface name ${JSON.stringify(ifname)}`, error: 'EINVAL' };
    bin ??= which('ip', opts.path);
    const ip = await bin;
    if (!ip) return { ok: false, code: null, stdout: '', stderr: 'ip (iproute2) not found on PATH', error: 'ENOENT' };
    return run(ip, ['-j', 'link', 'show', 'dev', ifname], { timeoutMs: opts.timeoutMs });
  };
}


function normVf(v: unknown): VfInfo | undefined {
  if (!isObj(v)) return undefined;
  const vf = num(v.vf);
  if (vf === undefined) return undefined;
  const out: VfInfo = { vf, mac: str(v.address) ?? str(v.mac), spoofCheck: bool(v.spoofchk), trust: bool(v.trust), linkState: str(v.link_state) };
  // iproute2 >= 4.10 prints `vlan_list: [{vlan, qos, protocol}]`; older ones flat `vlan`/`qos`.
  const vl = Array.isArray(v.vlan_list) ? v.vlan_list.find(isObj) : undefined;
  // A vlan_list entry without `vlan` means VLAN 0 (untagged): iproute2 prints only non-zero ids.
  out.vlan = num(vl?.vlan) ?? num(v.vlan) ?? (vl ? 0 : undefined);
  out.qos = num(vl?.qos) ?? num(v.qos);
  out.vlanProtocol = str(vl?.protocol);
  if (isObj(v.rate)) {
    out.maxTxRateMbps = num(v.rate.max_tx);
    out.minTxRateMbps = num(v.rate.min_tx);
  } else out.maxTxRateMbps = num(v.tx_rate);
  return out;
}

/** Validate and normalise `ip -j link show dev <pf>` output; undefined when it is not the expected shape. */
export function parseIpLinkVfs(json: string): PfLinkInfo | undefined {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (!Array.isArray(data)) return undefined;
  const link = data.find((l): l is Obj => isObj(l) && typeof l.ifname === 'string');
  if (!link) return undefined;
  const vfs = Array.isArray(link.vfinfo_list) ? link.vfinfo_list.map(normVf).filter((v): v is VfInfo => Boolean(v)) : [];
  return { ifname: link.ifname as string, mac: str(link.address), operstate: str(link.operstate), vfs };
}
