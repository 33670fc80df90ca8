import { isMap, isScalar, isSeq, LineCounter, parseDocument, visit, type Node as YNode } from 'yaml';
import type { LabIssue, Netem, NodeKind } from './types';
import { LAB_NAME_RE, NODE_NAME_RE } from './types';

// Shape checks of a lab file, each with the line it came from. Semantic checks are in validate.ts.

export interface RawNode {
  name: string;
  kind: NodeKind;
  image?: string;
  cmd?: string[];
  failMode?: 'standalone' | 'secure';
  openflow: string[];
  vtep?: string;
  /** iface name -> CIDR given in the file. */
  addresses: Record<string, { cidr: string; line: number }>;
  line: number;
}

export interface RawLink {
  endpoints: { text: string; line: number; col: number }[];
  vni?: number;
  netem?: Netem;
  line: number;
}

export interface RawLab {
  name: string;
  nodes: RawNode[];
  links: RawLink[];
}

const KINDS: NodeKind[] = ['host', 'linux', 'bridge', 'ovs-bridge'];
const NODE_KEYS = new Set(['kind', 'image', 'cmd', 'fail-mode', 'openflow', 'vtep', 'addresses', 'labels']);
const LINK_KEYS = new Set(['endpoints', 'delay', 'jitter', 'loss', 'rate', 'vni']);
const TIME_RE = /^\d+(\.\d+)?(us|ms|s)$/;
const LOSS_RE = /^\d+(\.\d+)?%$/;
const RATE_RE = /^\d+(\.\d+)?(bit|kbit|mbit|gbit|bps|kbps|mbps|gbps)$/i;
const CIDR_RE = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;
/** `lab generate` makes at most 1000 hosts and 1000 switches (about 100 KB); far more is not a lab. */
export const MAX_LAB_BYTES = 1024 * 1024;
export const MAX_LAB_NODES = 5000;

/** Whether a string is an IPv4 CIDR with octets <= 255 and a prefix <= 32. */
export function isCidr(s: string): boolean {
  const m = CIDR_RE.exec(s);
  return !!m && m.slice(1, 5).every((o) => Number(o) <= 255) && Number(m[5]) <= 32;
}

class Reader {
  readonly issues: LabIssue[] = [];
  constructor(private readonly lc: LineCounter) {}
  pos(n: YNode | null | undefined): { line: number; col: number } {
    const off = n?.range?.[0];
    return off === undefined ? { line: 1, col: 1 } : this.lc.linePos(off);
  }
  err(n: YNode | null | undefined, message: string, fix?: string): void {
    this.issues.push({ ...this.pos(n), message, fix });
  }
  str(n: unknown): string | undefined {
    return isScalar(n) && (typeof n.value === 'string' || typeof n.value === 'number') ? String(n.value) : undefined;
  }
}

/** Parse lab YAML into its raw shape; every problem found is returned with its line, none thrown. */
export function parseLabYaml(text: string): { raw?: RawLab; issues: LabIssue[] } {
  const lc = new LineCounter();
  const bytes = Buffer.byteLength(text);
  if (bytes > MAX_LAB_BYTES) {
    return { issues: [{ line: 1, col: 1, message: `the lab file is ${bytes} bytes; a lab file is at most ${MAX_LAB_BYTES} bytes`, fix: `split it, or generate one with \`virtlab lab generate\` (up to 1000 hosts)` }] };
  }
  // yaml's own uniqueKeys check compares every key with every earlier one (a 20k-node file took
  // 23 s, 100k nodes 4.5 min); duplicates are found below with a Set instead.
  const doc = parseDocument(text, { lineCounter: lc, uniqueKeys: false });
  const r = new Reader(lc);
  for (const e of doc.errors) r.issues.push({ line: e.linePos?.[0].line ?? 1, col: e.linePos?.[0].col ?? 1, message: `YAML: ${e.message.split('\n')[0]}`, fix: 'fix the YAML syntax at this place' });
  if (doc.errors.length) return { issues: r.issues };
  duplicateKeys(r, doc);
  if (r.issues.length) return { issues: r.issues };
  const root = doc.contents;
  if (!isMap(root)) {
    r.err(root, 'a lab file is a mapping with `name` and `topology`', 'start the file with `name: mylab` and `topology:` (see `virtlab lab generate linear,2`)');
    return { issues: r.issues };
  }
  const nameNode = root.get('name', true);
  const name = r.str(nameNode);
  if (name === undefined) r.err(root, 'missing `name`', 'add `name: mylab` at the top');
  else if (!LAB_NAME_RE.test(name)) r.err(nameNode, `lab name "${name}" is not allowed`, 'use letters, digits, `_`, `.` or `-` (at most 64), starting with a letter or digit');
  const topo = root.get('topology', true);
  if (!isMap(topo)) {
    r.err(topo ?? root, 'missing `topology` mapping', 'add `topology:` with `nodes:` and `links:`');
    return { issues: r.issues };
  }
  const nodes = readNodes(r, topo.get('nodes', true), topo);
  const links = readLinks(r, topo.get('links', true));
  return { raw: r.issues.length ? undefined : { name: name ?? '', nodes, links }, issues: r.issues };
}

/** Every mapping's keys once (scalar keys; YAML's complex keys are not part of a lab file anyway). */
function duplicateKeys(r: Reader, doc: ReturnType<typeof parseDocument>): void {
  visit(doc, {
    Map(_, m) {
      const seen = new Set<string>();
      for (const pair of m.items) {
        if (!isScalar(pair.key)) continue;
        const k = String(pair.key.value);
        if (seen.has(k)) r.err(pair.key, `YAML: Map keys must be unique ("${k}" appears twice)`, 'remove or rename the second one');
        seen.add(k);
      }
    },
  });
}

function readNodes(r: Reader, m: unknown, parent: YNode): RawNode[] {
  const out: RawNode[] = [];
  if (!isMap(m)) {
    r.err((m as YNode) ?? parent, '`topology.nodes` must be a mapping of node name to settings', 'for example `nodes: { h1: { kind: host }, s1: { kind: bridge } }`');
    return out;
  }
  if (m.items.length > MAX_LAB_NODES) {
    r.err(m, `${m.items.length} nodes; a lab has at most ${MAX_LAB_NODES}`, 'split the lab (`virtlab lab generate` makes up to 1000 hosts)');
    return out;
  }
  for (const pair of m.items) {
    const key = pair.key as YNode;
    const name = r.str(key) ?? '';
    const line = r.pos(key).line;
    if (!NODE_NAME_RE.test(name)) r.err(key, `node name "${name}" is not allowed`, 'use a letter then letters, digits, `_` or `-` (at most 32)');
    const v = pair.value as YNode;
    if (!isMap(v)) {
      r.err(v ?? key, `node ${name} needs settings`, `write \`${name}: { kind: host }\` (kinds: ${KINDS.join(', ')})`);
      continue;
    }
    for (const it of v.items) {
      const k = r.str(it.key);
      if (k && !NODE_KEYS.has(k)) r.err(it.key as YNode, `unknown setting \`${k}\` on node ${name}`, `allowed: ${[...NODE_KEYS].join(', ')}`);
    }
    const kindNode = v.get('kind', true) as YNode;
    const kind = r.str(kindNode) as NodeKind | undefined;
    if (!kind || !KINDS.includes(kind)) {
      r.err(kindNode ?? key, `node ${name}: kind ${kind ? `"${kind}" is unknown` : 'is missing'}`, `set \`kind:\` to one of ${KINDS.join(', ')}`);
      continue;
    }
    const node: RawNode = { name, kind, openflow: [], addresses: {}, line };
    const image = v.get('image', true) as YNode;
    if (kind === 'linux') {
      node.image = r.str(image);
      if (!node.image) r.err(image ?? key, `node ${name} is kind linux but has no image`, 'add `image: virtlab/busybox:latest` (any local image with ip and sh)');
      const cmd = v.get('cmd', true);
      if (cmd !== undefined) {
        const c = isSeq(cmd) ? cmd.items.map((i) => r.str(i)) : (r.str(cmd)?.split(/\s+/).filter(Boolean) ?? []);
        if (!c.length || c.some((x) => x === undefined)) r.err(cmd as YNode, `node ${name}: cmd must be a command line or a list of words`, 'for example `cmd: sleep 1000000`');
        else node.cmd = c as string[];
      }
    } else if (image) r.err(image, `node ${name}: image only applies to kind linux`, 'remove `image:` or set `kind: linux`');
    const fm = v.get('fail-mode', true) as YNode;
    if (fm) {
      const s = r.str(fm);
      if (kind !== 'ovs-bridge') r.err(fm, `node ${name}: fail-mode only applies to kind ovs-bridge`, 'remove `fail-mode:` or set `kind: ovs-bridge`');
      else if (s !== 'standalone' && s !== 'secure') r.err(fm, `node ${name}: fail-mode "${s}" is unknown`, 'use `standalone` (learning switch without a controller) or `secure` (only your OpenFlow rules)');
      else node.failMode = s;
    }
    const of = v.get('openflow', true) as YNode;
    if (of) {
      if (kind !== 'ovs-bridge') r.err(of, `node ${name}: openflow rules only apply to kind ovs-bridge`, 'set `kind: ovs-bridge` or remove `openflow:`');
      else if (!isSeq(of) || of.items.some((i) => r.str(i) === undefined)) r.err(of, `node ${name}: openflow must be a list of ovs-ofctl flow strings`, 'for example `openflow: ["priority=100,icmp,actions=drop"]`');
      else for (const i of of.items) {
        const s = r.str(i)!;
        if (!/actions=/.test(s) || /[\n\r]/.test(s)) r.err(i as YNode, `node ${name}: "${s}" is not a flow`, 'a flow is `match fields,actions=...` as for `ovs-ofctl add-flow`');
        else node.openflow.push(s);
      }
    }
    const vt = v.get('vtep', true) as YNode;
    if (vt) {
      const s = r.str(vt);
      if (kind !== 'bridge' && kind !== 'ovs-bridge') r.err(vt, `node ${name}: vtep only applies to switches (kind bridge or ovs-bridge)`, 'remove `vtep:` or put it on the switch that carries the VXLAN link');
      else if (s === undefined || !NODE_NAME_RE.test(s)) r.err(vt, `node ${name}: vtep "${s ?? ''}" is not a name`, 'use a letter then letters, digits, `_` or `-` (at most 32), e.g. `vtep: hv1`');
      else node.vtep = s;
    }
    const addrs = v.get('addresses', true) as YNode;
    if (addrs) {
      if (kind === 'bridge' || kind === 'ovs-bridge') r.err(addrs, `node ${name}: switches have no addresses in a lab`, 'put addresses on hosts');
      else if (!isMap(addrs)) r.err(addrs, `node ${name}: addresses must map interface to CIDR`, 'for example `addresses: { eth0: 10.0.0.5/24 }`');
      else for (const p of addrs.items) {
        const iface = r.str(p.key) ?? '';
        const cidr = r.str(p.value) ?? '';
        if (!isCidr(cidr)) r.err((p.value as YNode) ?? (p.key as YNode), `node ${name}: "${cidr}" is not an IPv4 CIDR`, 'write it as 10.0.0.5/24');
        else node.addresses[iface] = { cidr, line: r.pos(p.key as YNode).line };
      }
    }
    out.push(node);
  }
  return out;
}

function readLinks(r: Reader, s: unknown): RawLink[] {
  const out: RawLink[] = [];
  if (s === undefined || s === null) return out;
  if (!isSeq(s)) {
    r.err(s as YNode, '`topology.links` must be a list', 'for example `links: [ { endpoints: ["h1:eth0", "s1:p1"] } ]`');
    return out;
  }
  for (const item of s.items) {
    const line = r.pos(item as YNode).line;
    if (!isMap(item)) {
      r.err(item as YNode, 'a link is a mapping with `endpoints`', 'write `- endpoints: ["h1:eth0", "s1:p1"]`');
      continue;
    }
    for (const it of item.items) {
      const k = r.str(it.key);
      if (k && !LINK_KEYS.has(k)) r.err(it.key as YNode, `unknown link setting \`${k}\``, `allowed: ${[...LINK_KEYS].join(', ')}`);
    }
    const ep = item.get('endpoints', true);
    if (!isSeq(ep) || ep.items.length !== 2 || ep.items.some((e) => r.str(e) === undefined)) {
      r.err((ep as YNode) ?? item, 'a link needs exactly two endpoints', 'write `endpoints: ["h1:eth0", "s1:p1"]` (node:interface)');
      continue;
    }
    const link: RawLink = { endpoints: ep.items.map((e) => ({ text: r.str(e)!, ...r.pos(e as YNode) })), line };
    const netem: Netem = {};
    const check = (key: keyof Netem, re: RegExp, example: string) => {
      const n = item.get(key, true) as YNode;
      if (!n) return;
      const v = r.str(n) ?? '';
      if (!re.test(v)) r.err(n, `${key} "${v}" is not understood`, `write it like \`${key}: ${example}\``);
      else netem[key] = v;
    };
    check('delay', TIME_RE, '10ms');
    check('jitter', TIME_RE, '2ms');
    check('loss', LOSS_RE, '1%');
    check('rate', RATE_RE, '10mbit');
    if (Object.keys(netem).length) link.netem = netem;
    const vniNode = item.get('vni', true) as YNode;
    if (vniNode) {
      const v = Number(r.str(vniNode));
      if (!Number.isInteger(v) || v < 1 || v > 16777215) r.err(vniNode, `vni "${r.str(vniNode)}" is out of range`, 'a VXLAN network identifier is a whole number from 1 to 16777215');
      else link.vni = v;
    }
    out.push(link);
  }
  return out;
}
