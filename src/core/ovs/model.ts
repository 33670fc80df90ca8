import { bool, int, map, str, strs, type OvsRow, type OvsTable } from './ovsdb';

/** Open vSwitch configuration joined from the Open_vSwitch, Bridge, Port, Interface and Controller tables. */

export interface OvsInterface {
  uuid: string;
  name: string;
  /** OVSDB's empty type means a plain system (kernel or netdev) device; written out as `system`. */
  type: string;
  ofport?: number;
  options: Record<string, string>;
  mac?: string;
  mtu?: number;
  linkState?: string;
  adminState?: string;
  error?: string;
  statistics: Record<string, number>;
}

export interface OvsPort {
  uuid: string;
  name: string;
  tag?: number;
  trunks: number[];
  vlanMode?: string;
  interfaces: OvsInterface[];
}

export interface OvsController {
  uuid: string;
  target: string;
  isConnected?: boolean;
  role?: string;
}

export interface OvsBridge {
  uuid: string;
  name: string;
  /** As configured: `netdev` = userspace datapath, `system` (or empty in the DB) = kernel module. */
  datapathType: string;
  datapathId?: string;
  failMode?: string;
  stpEnable?: boolean;
  protocols: string[];
  controllers: OvsController[];
  ports: OvsPort[];
}

export interface OvsConfig {
  ovsVersion?: string;
  dbVersion?: string;
  /** Datapath types this ovs-vswitchd was built with (not which ones work: see dpif/show). */
  datapathTypes: string[];
  bridges: OvsBridge[];
  /** Rows that could not be decoded or referenced a row that is not there. */
  problems: string[];
}

/** The columns read per table (one ovs-vsctl call lists all five, in this order). */
export const OVS_TABLE_COLUMNS: [table: string, columns: string][] = [
  ['Open_vSwitch', '_uuid,ovs_version,db_version,datapath_types,bridges'],
  ['Bridge', '_uuid,name,datapath_type,datapath_id,fail_mode,stp_enable,protocols,controller,ports'],
  ['Port', '_uuid,name,tag,trunks,vlan_mode,interfaces'],
  ['Interface', '_uuid,name,type,ofport,options,mac_in_use,mtu,link_state,admin_state,error,statistics'],
  ['Controller', '_uuid,target,is_connected,role'],
];

function byUuid(t: OvsTable | undefined): Map<string, OvsRow> {
  const m = new Map<string, OvsRow>();
  for (const r of t?.rows ?? []) {
    const id = str(r, '_uuid');
    if (id) m.set(id, r);
  }
  return m;
}

function toInterface(r: OvsRow): OvsInterface {
  const statistics: Record<string, number> = {};
  for (const [k, v] of Object.entries(map(r, 'statistics'))) {
    const n = Number(v);
    if (Number.isFinite(n)) statistics[k] = n;
  }
  const ofport = int(r, 'ofport');
  return {
    uuid: str(r, '_uuid') ?? '',
    name: str(r, 'name') ?? '',
    type: str(r, 'type') || 'system',
    // -1 is how OVS says "could not attach"; the error column explains it.
    ofport: ofport !== undefined && ofport >= 0 ? ofport : undefined,
    options: map(r, 'options'),
    mac: str(r, 'mac_in_use'),
    mtu: int(r, 'mtu'),
    linkState: str(r, 'link_state'),
    adminState: str(r, 'admin_state'),
    error: str(r, 'error'),
    statistics,
  };
}

/** Join the five decoded tables into bridges -> ports -> interfaces; dangling references are reported. */
export function buildOvsConfig(tables: (OvsTable | undefined)[]): OvsConfig {
  const [ovsT, brT, portT, ifT, ctlT] = tables;
  const problems: string[] = [];
  OVS_TABLE_COLUMNS.forEach(([name], i) => {
    const t = tables[i];
    if (!t) problems.push(`table ${name}: missing or not OVSDB JSON`);
    else if (t.badRows) problems.push(`table ${name}: ${t.badRows} row(s) could not be decoded`);
  });
  const ports = byUuid(portT);
  const ifaces = byUuid(ifT);
  const ctls = byUuid(ctlT);
  const root = ovsT?.rows[0];
  const bridges: OvsBridge[] = [];
  for (const b of brT?.rows ?? []) {
    const name = str(b, 'name');
    const uuid = str(b, '_uuid');
    if (!name || !uuid) {
      problems.push('Bridge row without name or uuid');
      continue;
    }
    const bridgePorts: OvsPort[] = [];
    for (const pid of strs(b, 'ports')) {
      const p = ports.get(pid);
      if (!p) {
        problems.push(`bridge ${name}: port ${pid} not in the Port table`);
        continue;
      }
      const interfaces: OvsInterface[] = [];
      for (const iid of strs(p, 'interfaces')) {
        const i = ifaces.get(iid);
        if (i) interfaces.push(toInterface(i));
        else problems.push(`port ${str(p, 'name') ?? pid}: interface ${iid} not in the Interface table`);
      }
      bridgePorts.push({
        uuid: pid,
        name: str(p, 'name') ?? '',
        tag: int(p, 'tag'),
        trunks: strs(p, 'trunks').map(Number).filter(Number.isFinite),
        vlanMode: str(p, 'vlan_mode'),
        interfaces,
      });
    }
    const controllers: OvsController[] = [];
    for (const cid of strs(b, 'controller')) {
      const c = ctls.get(cid);
      if (c) controllers.push({ uuid: cid, target: str(c, 'target') ?? '', isConnected: bool(c, 'is_connected'), role: str(c, 'role') });
      else problems.push(`bridge ${name}: controller ${cid} not in the Controller table`);
    }
    bridges.push({
      uuid,
      name,
      datapathType: str(b, 'datapath_type') || 'system',
      datapathId: str(b, 'datapath_id'),
      failMode: str(b, 'fail_mode'),
      stpEnable: bool(b, 'stp_enable'),
      protocols: strs(b, 'protocols'),
      controllers,
      ports: bridgePorts.sort((x, y) => x.name.localeCompare(y.name)),
    });
  }
  bridges.sort((x, y) => x.name.localeCompare(y.name));
  return {
    ovsVersion: root ? str(root, 'ovs_version') : undefined,
    dbVersion: root ? str(root, 'db_version') : undefined,
    datapathTypes: root ? strs(root, 'datapath_types') : [],
    bridges,
    problems,
  };
}
