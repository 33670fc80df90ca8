import { parseLabYaml, type RawLab } from './parse';
import type { Endpoint, HostIface, Lab, LabHost, LabIssue, LabLink, LabSwitch, ParseResult } from './types';
import { IFNAME_MAX, NEW_IFNAME_RE } from '../net/ifname';

// Semantic checks (names, endpoints, interfaces, segments, addresses) and address assignment.

const isSwitchKind = (k: string) => k === 'bridge' || k === 'ovs-bridge';

/** Parse and check a lab file; `lab` is set only when there is no issue at all. */
export function loadLab(text: string): ParseResult {
  const { raw, issues } = parseLabYaml(text);
  if (!raw) return { issues };
  return validateLab(raw);
}

/** Closest known name, for "did you mean" fixes. */
function nearest(name: string, known: string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const k of known) {
    const d = editDistance(name, k);
    if (d < bestD) [best, bestD] = [k, d];
  }
  return bestD <= Math.max(2, name.length / 2) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  const dp = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = dp[0];
    dp[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j];
      dp[j] = Math.min(dp[j] + 1, dp[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return dp[b.length];
}

class UnionFind {
  private parent = new Map<string, string>();
  find(x: string): string {
    if (!this.parent.has(x)) this.parent.set(x, x);
    let p = this.parent.get(x)!;
    if (p !== x) {
      p = this.find(p);
      this.parent.set(x, p);
    }
    return p;
  }
  union(a: string, b: string): void {
    this.parent.set(this.find(a), this.find(b));
  }
}

/** Check a raw lab and resolve it: interfaces named, segments found, 10.0.0.N/24 assigned where none was given. */
export function validateLab(raw: RawLab): ParseResult {
  const issues: LabIssue[] = [];
  const err = (line: number, col: number, message: string, fix?: string) => issues.push({ line, col, message, fix });
  const byName = new Map(raw.nodes.map((n) => [n.name, n]));
  const names = raw.nodes.map((n) => n.name);
  /** node -> iface -> line of the link using it */
  const used = new Map<string, Map<string, number>>();
  const autoCount = new Map<string, number>();
  const links: LabLink[] = [];
  const uf = new UnionFind();

  raw.links.forEach((rl, index) => {
    const eps: Endpoint[] = [];
    for (const e of rl.endpoints) {
      const [node, iface, extra] = e.text.split(':');
      const n = byName.get(node);
      if (extra !== undefined) {
        err(e.line, e.col, `endpoint "${e.text}" has more than one ':'`, 'write endpoints as node:interface, e.g. "h1:eth0"');
        continue;
      }
      if (!n) {
        const near = nearest(node, names);
        err(e.line, e.col, `endpoint "${e.text}" names unknown node "${node}"`, near ? `did you mean "${near}"? Or add ${node} under topology.nodes` : `add ${node} under topology.nodes (known: ${names.join(', ') || 'none'})`);
        continue;
      }
      let name = iface;
      if (name === undefined || name === '') {
        // Auto names: eth0, eth1 ... on hosts; p1, p2 ... on switches (skipping names given elsewhere).
        const prefix = isSwitchKind(n.kind) ? 'p' : 'eth';
        let k = autoCount.get(node) ?? (isSwitchKind(n.kind) ? 1 : 0);
        while (raw.links.some((l) => l.endpoints.some((x) => x.text === `${node}:${prefix}${k}`)) || used.get(node)?.has(`${prefix}${k}`)) k++;
        name = `${prefix}${k}`;
        autoCount.set(node, k + 1);
      }
      if (Buffer.byteLength(name) > IFNAME_MAX) {
        err(e.line, e.col, `interface name "${name}" is ${Buffer.byteLength(name)} bytes; the kernel allows at most ${IFNAME_MAX}`, `shorten it, e.g. "${name.slice(0, 8)}"`);
        continue;
      }
      if (!NEW_IFNAME_RE.test(name)) {
        err(e.line, e.col, `interface name "${name}" has characters the kernel or VirtLab do not accept`, 'use letters, digits, `_`, `.` or `-`, starting with a letter, digit or `_`');
        continue;
      }
      const prev = used.get(node)?.get(name);
      if (prev !== undefined) {
        err(e.line, e.col, `interface ${node}:${name} is already used by the link on line ${prev}`, `give this end another interface, e.g. "${node}:${name.replace(/\d*$/, '')}${Number(/\d*$/.exec(name)![0] || 0) + 1}"`);
        continue;
      }
      if (!used.has(node)) used.set(node, new Map());
      used.get(node)!.set(name, rl.line);
      eps.push({ node, iface: name });
    }
    if (eps.length !== 2) return;
    const [a, b] = eps;
    if (a.node === b.node) {
      err(rl.line, 1, `link connects ${a.node} to itself`, 'connect two different nodes');
      return;
    }
    const ka = byName.get(a.node)!.kind;
    const kb = byName.get(b.node)!.kind;
    if (rl.vni !== undefined) {
      if (!isSwitchKind(ka) || !isSwitchKind(kb)) {
        err(rl.line, 1, `a VXLAN link (vni ${rl.vni}) must join two switches, not ${a.node} (${ka}) and ${b.node} (${kb})`, 'put the vni on a link between two bridge/ovs-bridge nodes');
        return;
      }
      if (rl.netem) {
        err(rl.line, 1, 'delay/jitter/loss/rate are not supported on a VXLAN link', 'put them on a host link instead');
        return;
      }
    }
    links.push({ index, a, b, type: rl.vni !== undefined ? 'vxlan' : 'veth', vni: rl.vni, netem: rl.netem, line: rl.line });
    const key = (ep: Endpoint, k: string) => (isSwitchKind(k) ? `sw:${ep.node}` : `if:${ep.node}:${ep.iface}`);
    uf.union(key(a, ka), key(b, kb));
  });

  // A VTEP has one UDP socket, and the kernel hands each VNI arriving on it to exactly one VXLAN
  // device ("A VXLAN device with the specified VNI already exists"): a VNI is used once per VTEP.
  const vtepOf = (node: string) => byName.get(node)?.vtep ?? node;
  const vniAt = new Map<string, { line: number; node: string }>();
  for (const l of links.filter((x) => x.type === 'vxlan')) {
    const [va, vb] = [vtepOf(l.a.node), vtepOf(l.b.node)];
    if (va === vb) {
      err(l.line, 1, `both ends of this VXLAN link (${l.a.node}, ${l.b.node}) are on VTEP ${va}; a tunnel joins two VTEPs`, `give ${l.b.node} another \`vtep:\``);
      continue;
    }
    for (const ep of [l.a, l.b]) {
      const k = `${vtepOf(ep.node)}/${l.vni}`;
      const prev = vniAt.get(k);
      if (!prev) vniAt.set(k, { line: l.line, node: ep.node });
      else if (prev.node === ep.node && vtepOf(ep.node) === ep.node) err(l.line, 1, `switch ${ep.node} already has a VXLAN link with vni ${l.vni} (line ${prev.line})`, 'use one link per vni and switch, or another vni');
      else err(l.line, 1, `VTEP ${vtepOf(ep.node)} already carries vni ${l.vni} for switch ${prev.node} (line ${prev.line}); a VTEP hands each VNI to one VXLAN device, so ${ep.node} cannot use it there too`, `use another vni for ${ep.node}, or put it on another \`vtep:\``);
    }
  }

  for (const n of raw.nodes) {
    for (const [iface, a] of Object.entries(n.addresses)) {
      if (!used.get(n.name)?.has(iface)) err(a.line, 1, `address for ${n.name}:${iface}, but no link uses that interface`, `add a link with endpoint "${n.name}:${iface}" or remove the address`);
    }
  }
  if (issues.length) return { issues };

  // Segments and addresses.
  const segId = new Map<string, number>();
  const segOf = (host: string, iface: string) => {
    const root = uf.find(`if:${host}:${iface}`);
    if (!segId.has(root)) segId.set(root, segId.size);
    return segId.get(root)!;
  };
  const hosts: LabHost[] = [];
  const switches: LabSwitch[] = [];
  const taken = new Map<number, Map<string, string>>(); // segment -> ip -> "host:iface"
  const pending: { iface: HostIface; host: string; line: number }[] = [];
  for (const n of raw.nodes) {
    if (isSwitchKind(n.kind)) {
      switches.push({ name: n.name, kind: n.kind as LabSwitch['kind'], failMode: n.failMode, openflow: n.openflow, ...(n.vtep ? { vtep: n.vtep } : {}), line: n.line });
      continue;
    }
    const h: LabHost = { name: n.name, kind: n.kind as LabHost['kind'], image: n.image, cmd: n.cmd, ifaces: [], line: n.line };
    const ifs = [...(used.get(n.name)?.keys() ?? [])].sort((x, y) => x.localeCompare(y, 'en', { numeric: true }));
    for (const iface of ifs) {
      const hi: HostIface = { name: iface, address: '', segment: segOf(n.name, iface) };
      h.ifaces.push(hi);
      const given = n.addresses[iface];
      if (given) {
        hi.address = given.cidr;
        const ip = given.cidr.split('/')[0];
        const seg = taken.get(hi.segment) ?? new Map<string, string>();
        taken.set(hi.segment, seg);
        const other = seg.get(ip);
        if (other) err(given.line, 1, `address ${ip} of ${n.name}:${iface} is also used by ${other} in the same L2 segment`, 'give each interface in one segment its own address');
        else seg.set(ip, `${n.name}:${iface}`);
      } else pending.push({ iface: hi, host: n.name, line: n.line });
    }
    hosts.push(h);
  }
  const next = new Map<number, number>();
  for (const p of pending) {
    const seg = taken.get(p.iface.segment) ?? new Map<string, string>();
    taken.set(p.iface.segment, seg);
    let k = next.get(p.iface.segment) ?? 1;
    while (seg.has(`10.0.0.${k}`)) k++;
    if (k > 254) {
      err(p.line, 1, `no free address left in 10.0.0.0/24 for ${p.host}:${p.iface.name}`, 'give addresses explicitly under `addresses:`, or split the segment');
      continue;
    }
    p.iface.address = `10.0.0.${k}/24`;
    seg.set(`10.0.0.${k}`, `${p.host}:${p.iface.name}`);
    next.set(p.iface.segment, k + 1);
  }
  if (issues.length) return { issues };
  const lab: Lab = { name: raw.name, hosts, switches, links };
  return { lab, issues };
}
