import { createConnection, type Socket } from 'node:net';
import { isObj, optNum as num, optStr as str, type JsonObject as Json } from '../sys/json';

/**
 * A minimal QMP client: connect to a unix socket, read the greeting, negotiate capabilities,
 * run read-only queries. QMP is line-delimited JSON; replies carry the `id` we sent, and
 * asynchronous `event` messages may arrive at any time and are skipped.
 */

export interface QmpCpu {
  cpuIndex: number;
  threadId: number;
  qomPath?: string;
  target?: string;
}

export interface QmpPciDevice {
  bus: number;
  slot: number;
  function: number;
  /** `bb:ss.f` in hex, as lspci writes it inside the guest. */
  address: string;
  classCode: number;
  desc?: string;
  vendor: number;
  device: number;
  /** The `id=` of the -device that created it; empty for devices the machine type built in. */
  qdevId: string;
}

/** What the queries returned; a failed query leaves its field undefined and adds to errors. */
export interface QmpInfo {
  version?: string;
  status?: string;
  running?: boolean;
  kvm?: { enabled: boolean; present: boolean };
  name?: string;
  cpus?: QmpCpu[];
  pci?: QmpPciDevice[];
  errors: string[];
}


/** Thrown for connection or protocol failures; `code` is ENOENT, ECONNREFUSED, ETIMEDOUT, EPROTO ... */
export class QmpError extends Error {
  constructor(message: string, readonly code: string) {
    super(message);
  }
}

class QmpSession {
  private buf = '';
  private readonly waiting = new Map<number, (msg: Json) => void>();
  private greetingWaiter?: (msg: Json) => void;
  private failure?: QmpError;
  private onFail?: (e: QmpError) => void;
  private nextId = 1;
  greeting?: Json;

  constructor(private readonly sock: Socket) {
    sock.setEncoding('utf8');
    sock.on('data', (chunk: string) => this.onData(chunk));
    sock.on('error', (e: NodeJS.ErrnoException) => this.fail(new QmpError(e.message, e.code ?? 'EIO')));
    sock.on('close', () => this.fail(new QmpError('QMP socket closed', 'ECONNRESET')));
  }

  fail(e: QmpError): void {
    if (this.failure) return;
    this.failure = e;
    this.onFail?.(e);
  }

  private onData(chunk: string): void {
    this.buf += chunk;
    // Guard against a peer that never sends a newline.
    if (this.buf.length > 16 * 1024 * 1024) return this.fail(new QmpError('QMP reply too large', 'EPROTO'));
    let nl: number;
    while ((nl = this.buf.indexOf('\n')) >= 0) {
      const line = this.buf.slice(0, nl).trim();
      this.buf = this.buf.slice(nl + 1);
      if (!line) continue;
      let msg: unknown;
      try {
        msg = JSON.parse(line);
      } catch {
        return this.fail(new QmpError(`not JSON: ${line.slice(0, 80)}`, 'EPROTO'));
      }
      if (!isObj(msg)) return this.fail(new QmpError('QMP message is not an object', 'EPROTO'));
      if ('event' in msg) continue;
      if ('QMP' in msg) {
        this.greeting = msg;
        this.greetingWaiter?.(msg);
        continue;
      }
      const id = num(msg.id);
      const w = id !== undefined ? this.waiting.get(id) : undefined;
      if (w && id !== undefined) {
        this.waiting.delete(id);
        w(msg);
      }
    }
  }

  private guarded<T>(p: (resolve: (v: T) => void) => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.failure) return reject(this.failure);
      this.onFail = reject;
      p(resolve);
    });
  }

  waitGreeting(): Promise<Json> {
    return this.guarded((resolve) => {
      if (this.greeting) resolve(this.greeting);
      else this.greetingWaiter = resolve;
    });
  }

  /** Execute a command; resolves to its `return` value, rejects on `error` replies. */
  async execute(command: string): Promise<unknown> {
    const id = this.nextId++;
    const reply = await this.guarded<Json>((resolve) => {
      this.waiting.set(id, resolve);
      this.sock.write(`${JSON.stringify({ execute: command, id })}\n`);
    });
    if (isObj(reply.error)) throw new QmpError(`${command}: ${str(reply.error.desc) ?? str(reply.error.class) ?? 'error'}`, 'EQMP');
    if (!('return' in reply)) throw new QmpError(`${command}: reply without return`, 'EPROTO');
    return reply.return;
  }
}

function normStatus(v: unknown): { status: string; running: boolean } | undefined {
  if (!isObj(v) || typeof v.status !== 'string' || typeof v.running !== 'boolean') return undefined;
  return { status: v.status, running: v.running };
}

function normKvm(v: unknown): { enabled: boolean; present: boolean } | undefined {
  if (!isObj(v) || typeof v.enabled !== 'boolean' || typeof v.present !== 'boolean') return undefined;
  return { enabled: v.enabled, present: v.present };
}

function normCpus(v: unknown): QmpCpu[] | undefined {
  if (!Array.isArray(v)) return undefined;
  const out: QmpCpu[] = [];
  for (const c of v) {
    if (!isObj(c)) continue;
    const cpuIndex = num(c['cpu-index']);
    const threadId = num(c['thread-id']);
    if (cpuIndex === undefined || threadId === undefined) continue;
    out.push({ cpuIndex, threadId, qomPath: str(c['qom-path']), target: str(c.target) });
  }
  return out;
}

const hex2 = (n: number): string => n.toString(16).padStart(2, '0');

/** Flatten query-pci's bus tree (devices behind bridges sit in `pci_bridge.devices`). */
export function normPci(v: unknown): QmpPciDevice[] | undefined {
  if (!Array.isArray(v)) return undefined;
  const out: QmpPciDevice[] = [];
  const walk = (devices: unknown, depth: number): void => {
    if (!Array.isArray(devices) || depth > 32) return;
    for (const d of devices) {
      if (!isObj(d) || !isObj(d.class_info) || !isObj(d.id)) continue;
      const bus = num(d.bus);
      const slot = num(d.slot);
      const fn = num(d.function);
      const classCode = num(d.class_info.class);
      const vendor = num(d.id.vendor);
      const device = num(d.id.device);
      if (bus === undefined || slot === undefined || fn === undefined || classCode === undefined || vendor === undefined || device === undefined) continue;
      out.push({ bus, slot, function: fn, address: `${hex2(bus)}:${hex2(slot)}.${fn}`, classCode, desc: str(d.class_info.desc), vendor, device, qdevId: str(d.qdev_id) ?? '' });
      if (isObj(d.pci_bridge)) walk(d.pci_bridge.devices, depth + 1);
    }
  };
  for (const b of v) if (isObj(b)) walk(b.devices, 0);
  return out;
}

/** Connect to a QMP unix socket and run the read-only queries VirtLab shows; never hangs past timeoutMs. */
export async function queryQmp(path: string, timeoutMs: number): Promise<QmpInfo> {
  const sock = createConnection({ path });
  const session = new QmpSession(sock);
  // One deadline for the whole conversation: a QMP socket already held by another client
  // (libvirt, a second tool) accepts the connection but never greets.
  const timer = setTimeout(() => session.fail(new QmpError(`no QMP answer within ${timeoutMs} ms (another client may hold the monitor)`, 'ETIMEDOUT')), timeoutMs);
  try {
    const greeting = await session.waitGreeting();
    const info: QmpInfo = { errors: [] };
    const ver = isObj(greeting.QMP) && isObj(greeting.QMP.version) && isObj(greeting.QMP.version.qemu) ? greeting.QMP.version.qemu : undefined;
    if (ver) info.version = `${num(ver.major)}.${num(ver.minor)}.${num(ver.micro)}`;
    await session.execute('qmp_capabilities');
    const ask = async <T>(cmd: string, norm: (v: unknown) => T | undefined): Promise<T | undefined> => {
      try {
        const v = norm(await session.execute(cmd));
        if (v === undefined) info.errors.push(`${cmd}: unexpected reply shape`);
        return v;
      } catch (e) {
        if (e instanceof QmpError && e.code !== 'EQMP') throw e;
        info.errors.push((e as Error).message);
        return undefined;
      }
    };
    const st = await ask('query-status', normStatus);
    if (st) Object.assign(info, st);
    info.kvm = await ask('query-kvm', normKvm);
    info.name = await ask('query-name', (v) => (isObj(v) ? (str(v.name) ?? '') : undefined));
    info.cpus = await ask('query-cpus-fast', normCpus);
    info.pci = await ask('query-pci', normPci);
    return info;
  } finally {
    clearTimeout(timer);
    sock.destroy();
  }
}
