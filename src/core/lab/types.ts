// The lab model: what a *.vlab.yaml file says once parsed and checked (containerlab-shaped).

export type HostKind = 'host' | 'linux';
export type SwitchKind = 'bridge' | 'ovs-bridge';
export type NodeKind = HostKind | SwitchKind;

/** A problem in a lab file, with the 1-based line it is on and what to do about it. */
export interface LabIssue {
  line: number;
  col: number;
  message: string;
  fix?: string;
}

export interface Netem {
  delay?: string;
  jitter?: string;
  loss?: string;
  rate?: string;
}

export interface HostIface {
  name: string;
  /** CIDR, e.g. 10.0.0.1/24 (given or auto-assigned). */
  address: string;
  /** L2 segment number (connected component through switches, links and VXLAN). */
  segment: number;
}

export interface LabHost {
  name: string;
  kind: HostKind;
  image?: string;
  cmd?: string[];
  ifaces: HostIface[];
  line: number;
}

export interface LabSwitch {
  name: string;
  kind: SwitchKind;
  failMode?: 'standalone' | 'secure';
  openflow: string[];
  /** VXLAN endpoint this switch's tunnels use; switches naming the same one share its underlay address and UDP port (default: the switch's own). */
  vtep?: string;
  line: number;
}

export interface Endpoint {
  node: string;
  iface: string;
}

export interface LabLink {
  index: number;
  a: Endpoint;
  b: Endpoint;
  /** veth: a veth pair; vxlan: a VXLAN tunnel between two switches. */
  type: 'veth' | 'vxlan';
  vni?: number;
  netem?: Netem;
  line: number;
}

/** A lab file that passed every check: nothing is created from anything less. */
export interface Lab {
  name: string;
  hosts: LabHost[];
  switches: LabSwitch[];
  links: LabLink[];
}

export interface ParseResult {
  lab?: Lab;
  issues: LabIssue[];
}

export const NODE_NAME_RE = /^[A-Za-z][A-Za-z0-9_-]{0,31}$/;
export const LAB_NAME_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
