import assert from 'node:assert/strict';
import type { Collector } from '../../src/core/collector';
import { scanOptions } from '../../src/core/context';
import { GraphBuilder } from '../../src/core/model/builder';
import { runCollectors, takeSnapshot } from '../../src/core/scan';

const log: string[] = [];
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
const c = (name: string, phase: 1 | 2 | 3, ms: number, after?: string[]): Collector => ({
  name,
  phase,
  after,
  collect: async (_o, g) => {
    log.push(`start ${name}`);
    await wait(ms);
    g.source(name, { state: 'ok' });
    log.push(`end ${name}`);
  },
});

describe('runCollectors', () => {
  beforeEach(() => (log.length = 0));

  it('without `after`, a later phase waits for every collector of the earlier phases', async () => {
    await runCollectors([c('fast', 1, 1), c('slow', 1, 30), c('late', 2, 1)], scanOptions(), new GraphBuilder());
    assert.ok(log.indexOf('start late') > log.indexOf('end slow'));
  });

  it('with `after`, it starts once the named ones are done and overlaps the others', async () => {
    const g = new GraphBuilder();
    await runCollectors([c('fast', 1, 1), c('slow', 1, 40), c('late', 2, 1, ['fast']), c('last', 3, 1)], scanOptions(), g);
    assert.ok(log.indexOf('start late') > log.indexOf('end fast'));
    assert.ok(log.indexOf('start late') < log.indexOf('end slow'));
    // Phase 3 without `after` still waits for all of phases 1 and 2.
    assert.ok(log.indexOf('start last') > log.indexOf('end slow'));
    assert.equal(typeof g.sources.late?.durationMs, 'number');
  });

  it('a throwing collector becomes an unavailable source and does not stop the others', async () => {
    const boom: Collector = { name: 'boom', phase: 1, collect: async () => Promise.reject(new Error('kaput')) };
    const s = await takeSnapshot(scanOptions(), [boom, c('late', 2, 1, ['boom'])]);
    assert.equal(s.report.sources.boom?.state, 'unavailable');
    assert.match(s.report.sources.boom?.detail ?? '', /kaput/);
    assert.equal(s.report.sources.late?.state, 'ok');
  });
});
