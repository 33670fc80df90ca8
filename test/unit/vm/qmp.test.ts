import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { normPci, queryQmp } from '../../../src/core/vm/qmp';

const GREETING = { QMP: { version: { qemu: { micro: 0, minor: 2, major: 7 }, package: '' }, capabilities: ['oob'] } };

/** A scripted QMP peer: answers by command name, sprinkles events between replies. */
function fakeQmp(path: string, answers: Record<string, unknown>, opts: { greet?: boolean } = {}): Promise<Server> {
  const srv = createServer((s: Socket) => {
    if (opts.greet === false) return;
    s.write(`${JSON.stringify(GREETING)}\r\n`);
    let buf = '';
    s.on('data', (d) => {
      buf += d.toString();
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const msg = JSON.parse(buf.slice(0, nl));
        buf = buf.slice(nl + 1);
        s.write(`${JSON.stringify({ event: 'RTC_CHANGE', data: { offset: 0 }, timestamp: { seconds: 1, microseconds: 2 } })}\n`);
        const a = answers[msg.execute];
        const reply = a === undefined ? { error: { class: 'CommandNotFound', desc: `The command ${msg.execute} has not been found` }, id: msg.id } : { return: a, id: msg.id };
        // Split the reply in two writes: line framing must not depend on packet boundaries.
        const text = `${JSON.stringify(reply)}\n`;
        s.write(text.slice(0, 5));
        setTimeout(() => s.write(text.slice(5)), 2);
      }
    });
  });
  return new Promise((res) => srv.listen(path, () => res(srv)));
}

describe('vm/qmp', () => {
  let dir: string;
  let srv: Server | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'vlt-qmp-'));
  });
  afterEach(() => {
    srv?.close();
    srv = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('negotiates, skips events, and normalises replies', async () => {
    const path = join(dir, 'q.sock');
    srv = await fakeQmp(path, {
      qmp_capabilities: {},
      'query-status': { status: 'running', singlestep: false, running: true },
      'query-kvm': { enabled: false, present: true },
      'query-name': { name: 'g1' },
      'query-cpus-fast': [{ 'thread-id': 11, 'cpu-index': 0, 'qom-path': '/machine/unattached/device[0]', target: 'x86_64' }, { 'cpu-index': 'bad' }],
    });
    const info = await queryQmp(path, 2000);
    assert.equal(info.version, '7.2.0');
    assert.equal(info.status, 'running');
    assert.equal(info.running, true);
    assert.deepEqual(info.kvm, { enabled: false, present: true });
    assert.equal(info.name, 'g1');
    assert.deepEqual(info.cpus, [{ cpuIndex: 0, threadId: 11, qomPath: '/machine/unattached/device[0]', target: 'x86_64' }]);
    assert.equal(info.pci, undefined);
    assert.equal(info.errors.length, 1);
    assert.match(info.errors[0], /query-pci/);
  });

  it('rejects malformed replies at the boundary', async () => {
    const path = join(dir, 'q.sock');
    srv = await fakeQmp(path, { qmp_capabilities: {}, 'query-status': { status: 7 }, 'query-kvm': 'yes', 'query-name': {}, 'query-cpus-fast': [], 'query-pci': [] });
    const info = await queryQmp(path, 2000);
    assert.equal(info.status, undefined);
    assert.equal(info.kvm, undefined);
    assert.deepEqual(info.errors, ['query-status: unexpected reply shape', 'query-kvm: unexpected reply shape']);
  });

  it('gives up after the timeout when the monitor never greets (held by another client)', async () => {
    const path = join(dir, 'q.sock');
    srv = await fakeQmp(path, {}, { greet: false });
    await assert.rejects(queryQmp(path, 300), (e: Error & { code?: string }) => e.code === 'ETIMEDOUT');
  });

  it('fails cleanly when there is no socket', async () => {
    await assert.rejects(queryQmp(join(dir, 'missing.sock'), 1000), (e: Error & { code?: string }) => e.code === 'ENOENT');
  });

  it('flattens devices behind PCI bridges', () => {
    const pci = normPci([
      {
        bus: 0,
        devices: [
          { bus: 0, slot: 2, function: 0, qdev_id: 'pci.1', class_info: { class: 1540, desc: 'PCI bridge' }, id: { vendor: 6966, device: 12 }, pci_bridge: { bus: { number: 1 }, devices: [{ bus: 1, slot: 0, function: 0, qdev_id: 'net0', class_info: { class: 512 }, id: { vendor: 6900, device: 4161 } }] } },
          { bus: 0, slot: 3, function: 0, class_info: { class: 512 }, id: { vendor: 'x' } },
        ],
      },
    ]);
    assert.deepEqual(pci?.map((p) => [p.address, p.qdevId, p.vendor]), [['00:02.0', 'pci.1', 6966], ['01:00.0', 'net0', 6900]]);
  });
});
