import { stringify } from 'yaml';

// Mininet's topologies as lab files: single,N / linear,N / tree,depth,fanout.

export type SwitchChoice = 'bridge' | 'ovs';

export interface TopoSpec {
  kind: 'single' | 'linear' | 'tree';
  n: number;
  fanout?: number;
}

/** Parse "single,4", "linear,10" or "tree,2,3" (Mininet's --topo syntax). */
export function parseTopo(s: string): TopoSpec {
  const [kind, a, b] = s.split(',');
  const n = Number(a);
  if (kind === 'single' || kind === 'linear') {
    if (!Number.isInteger(n) || n < 1 || n > 1000) throw new Error(`${kind},N needs N from 1 to 1000`);
    return { kind, n };
  }
  if (kind === 'tree') {
    const fanout = b === undefined ? 2 : Number(b);
    if (!Number.isInteger(n) || n < 1 || !Number.isInteger(fanout) || fanout < 1 || fanout ** n > 1000) throw new Error('tree,depth,fanout needs depth >= 1, fanout >= 1 and at most 1000 hosts');
    return { kind, n, fanout };
  }
  throw new Error(`unknown topology "${s}": use single,N  linear,N  or tree,depth,fanout`);
}

interface GenNode {
  kind: string;
}

/** Write a lab file for a Mininet-style topology; hosts h1..hN get 10.0.0.N/24 by default. */
export function generateLab(topo: TopoSpec, opts: { name?: string; switch?: SwitchChoice } = {}): string {
  const swKind = opts.switch === 'ovs' ? 'ovs-bridge' : 'bridge';
  const nodes: Record<string, GenNode> = {};
  const links: { endpoints: string[] }[] = [];
  const sw = (name: string) => (nodes[name] = { kind: swKind });
  let hosts = 0;
  const host = () => {
    const h = `h${++hosts}`;
    nodes[h] = { kind: 'host' };
    return h;
  };
  if (topo.kind === 'single') {
    sw('s1');
    for (let i = 1; i <= topo.n; i++) links.push({ endpoints: [`${host()}:eth0`, `s1:p${i}`] });
  } else if (topo.kind === 'linear') {
    for (let i = 1; i <= topo.n; i++) {
      sw(`s${i}`);
      links.push({ endpoints: [`${host()}:eth0`, `s${i}:p1`] });
    }
    for (let i = 1; i < topo.n; i++) links.push({ endpoints: [`s${i}:p${i === 1 ? 2 : 3}`, `s${i + 1}:p2`] });
  } else {
    // Mininet's TreeTopo: switches numbered depth-first from s1, hosts numbered left to right.
    let switches = 0;
    const build = (depth: number): string => {
      if (depth === 0) return host();
      const s = `s${++switches}`;
      sw(s);
      for (let i = 0; i < topo.fanout!; i++) {
        const child = build(depth - 1);
        const childPort = child.startsWith('h') ? 'eth0' : 'p0';
        links.push({ endpoints: [`${s}:p${i + 1}`, `${child}:${childPort}`] });
      }
      return s;
    };
    build(topo.n);
  }
  const name = opts.name ?? `${topo.kind}${topo.n}${topo.fanout ? `x${topo.fanout}` : ''}`;
  const header = `# VirtLab lab (${topo.kind}${topo.kind === 'tree' ? `,${topo.n},${topo.fanout}` : `,${topo.n}`}, ${swKind}). Hosts get 10.0.0.N/24 unless you add\n# addresses: { eth0: 10.0.0.N/24 }. Links take delay/jitter/loss/rate, e.g. delay: 10ms.\n`;
  return header + stringify({ name, topology: { nodes, links } }, { flowCollectionPadding: false, lineWidth: 0 }).replace(/^( {4}- )endpoints:\n {8}- (.*)\n {8}- (.*)$/gm, '$1endpoints: [$2, $3]');
}
