import { bool, int, map, str, stringMap, strs, type OvsRow, type OvsTable, type StringMapLimits } from './ovsdb';
import { plural } from '../../shared/format';

/** Open vSwitch configuration joined from the Open_vSwitch, Bridge, Port, Interface and Controller tables. */

/**
 * The `external_ids` column of a Bridge, Port or Interface row: free text other programs store on
 * it (libvirt and OpenStack put `iface-id`, `attached-mac`, `vm-id`/`vm-uuid`, `iface-status` on
 * interfaces; VirtLab's labs put `virtlab-lab`/`virtlab-switch`/`virtlab-port`). Only string keys
 * and values, bounded by EXTERNAL_IDS_LIMITS; `externalIdsProblem` says what was not kept.
 */
export interface WithExternalIds {
  externalIds: Record<string, string>;
  externalIdsProblem?: string;
}

/** Bounds on one row's external_ids (libvirt and OpenStack set about five short ones per interface). */
export const EXTERNAL_IDS_LIMITS: StringMapLimits = { entries: 64, keyChars: 256, valueChars: 1024 };

export interface OvsInterface extends WithExternalIds {
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

export interface OvsPort extends WithExternalIds {
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

export interface OvsBridge extends WithExternalIds {
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
  /** Values left out or cut on purpose (EXTERNAL_IDS_LIMITS): counted, but the read itself was complete. */
  trimmed: string[];
}

/** The columns read per table (one ovs-vsctl call lists all five, in this order). */
export const OVS_TABLE_COLUMNS: [table: string, columns: string][] = [
  ['Open_vSwitch', '_uuid,ovs_version,db_version,datapath_types,bridges'],
  ['Bridge', '_uuid,name,datapath_type,datapath_id,fail_mode,stp_enable,protocols,controller,ports,external_ids'],
  ['Port', '_uuid,name,tag,trunks,vlan_mode,interfaces,external_ids'],
  ['Interface', '_uuid,name,type,ofport,options,mac_in_use,mtu,link_state,admin_state,error,statistics,external_ids'],
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

/** Where a row's notes go: malformed input (a problem: the source is partial) and deliberate caps (a skip only). */
interface Notes {
  problems: string[];
  trimmed: string[];
}

/** A row's external_ids, validated; what did not fit is named in `notes` and on the row itself. */
function externalIds(r: OvsRow, what: string, notes: Notes): WithExternalIds {
  const m = stringMap(r, 'external_ids', EXTERNAL_IDS_LIMITS);
  const L = EXTERNAL_IDS_LIMITS;
  const bad = [m.notAMap && 'not a map (ignored)', m.wrongType && `${plural(m.wrongType, 'pair')} whose key or value is not a string dropped`];
  const capped = [
    m.longKeys && `${plural(m.longKeys, 'key')} longer than ${L.keyChars} characters dropped`,
    m.overCount && `${plural(m.overCount, 'pair')} beyond the first ${L.entries} not kept`,
    m.cutValues && `${plural(m.cutValues, 'value')} cut to ${L.valueChars} characters`,
  ];
  const text = (xs: (string | number | false)[]) => xs.filter((x): x is string => typeof x === 'string' && x !== '').join('; ');
  const [badText, cappedText] = [text(bad), text(capped)];
  if (badText) notes.problems.push(`${what}: external_ids ${badText}`);
  if (cappedText) notes.trimmed.push(`${what}: external_ids ${cappedText}`);
  const all = text([badText, cappedText]);
  return all ? { externalIds: m.value, externalIdsProblem: `external_ids ${all}` } : { externalIds: m.value };
}

function toInterface(r: OvsRow, notes: Notes): OvsInterface {
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
    ...externalIds(r, `interface ${str(r, 'name') ?? str(r, '_uuid')}`, notes),
  };
}

/** Join the five decoded tables into bridges -> ports -> interfaces; dangling references are reported. */
export function buildOvsConfig(tables: (OvsTable | undefined)[]): OvsConfig {
  const [ovsT, brT, portT, ifT, ctlT] = tables;
  const problems: string[] = [];
  const notes: Notes = { problems, trimmed: [] };
  OVS_TABLE_COLUMNS.forEach(([name], i) => {
    const t = tables[i];
    if (!t) problems.push(`table ${name}: missing or not OVSDB JSON`);
    else if (t.badRows) problems.push(`table ${name}: ${plural(t.badRows, 'row')} could not be decoded`);
    for (const [col, n] of Object.entries(t?.badCells ?? {})) problems.push(`table ${name}: ${col} of ${plural(n, 'row')} could not be decoded (left out)`);
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
        if (i) interfaces.push(toInterface(i, notes));
        else problems.push(`port ${str(p, 'name') ?? pid}: interface ${iid} not in the Interface table`);
      }
      bridgePorts.push({
        uuid: pid,
        name: str(p, 'name') ?? '',
        tag: int(p, 'tag'),
        trunks: strs(p, 'trunks').map(Number).filter(Number.isFinite),
        vlanMode: str(p, 'vlan_mode'),
        interfaces,
        ...externalIds(p, `port ${str(p, 'name') ?? pid}`, notes),
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
      ...externalIds(b, `bridge ${name}`, notes),
    });
  }
  bridges.sort((x, y) => x.name.localeCompare(y.name));
  return {
    ovsVersion: root ? str(root, 'ovs_version') : undefined,
    dbVersion: root ? str(root, 'db_version') : undefined,
    datapathTypes: root ? strs(root, 'datapath_types') : [],
    bridges,
    problems,
    trimmed: notes.trimmed,
  };
}
