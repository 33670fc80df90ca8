import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generateLab, parseTopo } from '../../../src/core/lab/generate';
import { listLedgers, readLedger, removeLedger, writeLedger, type Ledger } from '../../../src/core/lab/ledger';
import { hostCommand, parseDumpFlows, parseNetemWords, parsePingSummaries } from '../../../src/core/lab/ops';
import { planLab } from '../../../src/core/lab/plan';
import { loadLab } from '../../../src/core/lab/validate';

const FX = path.join(__dirname, '../../fixtures/lab');

describe('lab operations (pure parts)', () => {
  it('parses ovs-ofctl dump-flows output (recorded from OVS 3.1)', () => {
    const f = parseDumpFlows(readFileSync(path.join(FX, 'dump-flows.txt'), 'utf8'));
    assert.deepEqual(
      f.map((x) => [x.priority, x.match, x.actions, x.nPackets]),
      [
        [200, 'icmp,nw_dst=10.0.0.1', 'drop', 2],
        [0, '', 'NORMAL', 54],
      ],
    );
  });

  it('set-link words', () => {
    assert.deepEqual(parseNetemWords(['delay=10ms', 'loss=5%']), { delay: '10ms', loss: '5%' });
    assert.deepEqual(parseNetemWords(['none']), {});
    assert.throws(() => parseNetemWords(['loss=5']), /not understood/);
    assert.throws(() => parseNetemWords(['bogus']), /is not delay/);
  });

  it('exec goes into the netns, or into the container for kind linux', () => {
    const p = planLab(loadLab(readFileSync(path.join(FX, 'container.vlab.yaml'), 'utf8')).lab!, 'vlt');
    assert.deepEqual(hostCommand(p, 'h1', ['ip', 'a']), ['ip', ['netns', 'exec', `${p.stem}-h1`, 'ip', 'a']]);
    assert.deepEqual(hostCommand(p, 'c1', ['ping', 'x']), ['docker', ['exec', `${p.stem}-c1`, 'ping', 'x']]);
    assert.throws(() => hostCommand(p, 'nope', ['true']), /has no host nope/);
  });
});

describe('lab ledger', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'vlt-ledger-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('round-trips, lists, rejects foreign files, removes', async () => {
    const plan = planLab(loadLab(generateLab(parseTopo('linear,2'), { name: 'l2' })).lab!, 'vlt');
    const l: Ledger = { version: 1, name: 'l2', stem: plan.stem, pid: 1, startedAt: 'now', phase: 'creating', plan };
    await writeLedger(dir, l);
    assert.deepEqual(await readLedger(dir, 'l2'), JSON.parse(JSON.stringify(l)));
    writeFileSync(path.join(dir, 'evil.json'), JSON.stringify({ ...l, name: 'evil', plan: { ...l.plan, objects: [{ type: 'link', name: 'eth0' }] } }));
    const { ledgers, bad } = await listLedgers(dir);
    assert.deepEqual(ledgers.map((x) => x.name), ['l2']);
    assert.deepEqual(bad, [path.join(dir, 'evil.json')], 'a ledger naming objects outside its stem is refused');
    await removeLedger(dir, 'l2');
    assert.equal(await readLedger(dir, 'l2'), undefined);
  });
});

describe('pingall output', () => {
  it('reads each target from ping -q summaries (recorded: iputils via xargs -P, then busybox wording)', () => {
    const text = readFileSync(path.join(FX, 'ping-q.txt'), 'utf8');
    const m = parsePingSummaries(text);
    assert.deepEqual([...m.entries()], [
      ['10.0.0.2', { ok: true, rttMs: 0.033 }],
      ['10.0.0.77', { ok: false, rttMs: undefined }],
      ['10.0.0.4', { ok: true, rttMs: 0.069 }],
    ]);
  });
});
