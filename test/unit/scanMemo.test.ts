import assert from 'node:assert/strict';
import { ScanMemo, shared } from '../../src/core/scanMemo';

describe('ScanMemo', () => {
  it('reads each key once, also for callers that ask while the first read is in flight', async () => {
    const memo = new ScanMemo();
    let reads = 0;
    const read = () => new Promise<number>((r) => setTimeout(() => r(++reads), 5));
    const [a, b] = await Promise.all([memo.once('k', read), memo.once('k', read)]);
    assert.equal(a, 1);
    assert.equal(b, 1);
    assert.equal(await memo.once('other', read), 2);
    assert.equal(reads, 2);
  });

  it('shares a failure, and without a memo reads every time', async () => {
    const memo = new ScanMemo();
    let reads = 0;
    const fail = () => (reads++, Promise.reject(new Error('gone')));
    await assert.rejects(memo.once('x', fail), /gone/);
    await assert.rejects(memo.once('x', fail), /gone/);
    assert.equal(reads, 1);
    await shared(undefined, 'x', async () => reads++);
    await shared(undefined, 'x', async () => reads++);
    assert.equal(reads, 3);
  });
});
