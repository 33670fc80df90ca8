import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { GuideProgress } from '../../../src/extension/guides/progress';

describe('guide progress store', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vlg-progress-'));
    file = path.join(dir, 'sub', 'guide-progress.json');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('keeps passed steps and verdicts per lab, read back by a new instance (a reload)', async () => {
    const p = new GuideProgress(file);
    await p.verdict('pid-namespaces', 'run', { ok: true, detail: 'seen' });
    await p.markDone('pid-namespaces', 'tree');
    await p.verdict('cgroups', 'oom', { ok: false, detail: 'no OOM kill yet', hint: 'run it' });
    const again = new GuideProgress(file);
    assert.deepEqual(again.get('pid-namespaces'), { done: ['run', 'tree'], verdicts: { run: { ok: true, detail: 'seen' } } });
    assert.deepEqual(again.get('cgroups'), { done: [], verdicts: { oom: { ok: false, detail: 'no OOM kill yet', hint: 'run it' } } });
  });

  it('a failed check after a pass un-marks the step; clear forgets one lab only', async () => {
    const p = new GuideProgress(file);
    await p.verdict('ovs', 'drop', { ok: true, detail: 'dropped' });
    await p.verdict('ovs', 'drop', { ok: false, detail: 'rule gone' });
    assert.deepEqual(p.get('ovs').done, []);
    await p.markDone('pid-namespaces', 'tree');
    await p.clear('ovs');
    assert.deepEqual(p.get('ovs'), { done: [], verdicts: {} });
    assert.deepEqual(p.get('pid-namespaces').done, ['tree']);
  });

  it('reads a broken or foreign file as no progress, dropping bad entries', () => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, '{not json');
    assert.deepEqual(new GuideProgress(file).get('x'), { done: [], verdicts: {} });
    fs.writeFileSync(file, JSON.stringify({ x: { done: ['ok-step', 'bad step', 7], verdicts: { 'ok-step': { ok: 'yes' }, good: { ok: true, detail: 'd', hint: 3 } } } }));
    assert.deepEqual(new GuideProgress(file).get('x'), { done: ['ok-step'], verdicts: { good: { ok: true, detail: 'd' } } });
  });
});
