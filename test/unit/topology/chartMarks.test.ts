import * as assert from 'node:assert/strict';
import { counterText, markCount, markY, OOM_MARK, THROTTLE_MARK } from '../../../webview/chartMarks';
import type { MetricPoint } from '../../../src/shared/protocol';

const P = (values: MetricPoint['values'], events: MetricPoint['events']): MetricPoint => ({ t: 1, values, events });

describe('chart marks (how many events one mark stands for)', () => {
  it('a mark stands for the rise of its kernel counter since the previous point', () => {
    // Three OOM kills between two samples are one mark worth 3, not 1.
    assert.equal(markCount(OOM_MARK, { oomKills: 4 }, P({ oomKills: 7 }, ['oom'])), 3);
    assert.equal(markCount(THROTTLE_MARK, { throttledPeriods: 100 }, P({ throttledPeriods: 109 }, ['throttled'])), 9);
  });

  it('no event, no mark, whatever the counter did', () => {
    assert.equal(markCount(OOM_MARK, { oomKills: 4 }, P({ oomKills: 7 }, [])), null);
    assert.equal(markCount(OOM_MARK, { oomKills: 4 }, P({ oomKills: 7 }, ['throttled'])), null);
  });

  it('an event without a readable counter (or one that went backwards) is worth 1', () => {
    assert.equal(markCount(OOM_MARK, {}, P({}, ['oom'])), 1);
    assert.equal(markCount(OOM_MARK, { oomKills: null }, P({ oomKills: 2 }, ['oom'])), 1);
    assert.equal(markCount(OOM_MARK, { oomKills: 9 }, P({ oomKills: 2 }, ['oom'])), 1);
  });

  it('an OOM mark sits on the limit line (where the kill happened) when there is a limit; a throttle mark on the CPU line', () => {
    const mem = P({ memoryBytes: 600_000, memoryLimitBytes: 16_777_216 }, ['oom']);
    assert.equal(markY(OOM_MARK, mem, 'memoryBytes', 'memoryLimitBytes'), 16_777_216);
    assert.equal(markY(OOM_MARK, P({ memoryBytes: 600_000, memoryLimitBytes: null }, ['oom']), 'memoryBytes', 'memoryLimitBytes'), 600_000, 'no limit: on the usage line');
    assert.equal(markY(THROTTLE_MARK, P({ cpuPercent: 19.5 }, ['throttled']), 'cpuPercent', undefined), 19.5);
    assert.equal(markY(THROTTLE_MARK, P({}, ['throttled']), 'cpuPercent', undefined), 0);
  });

  it('the counter text shows the kernel total, or nothing when it is not readable', () => {
    assert.equal(counterText(OOM_MARK, 7), 'OOM kills: 7');
    assert.equal(counterText(THROTTLE_MARK, 0), 'throttled periods: 0');
    assert.equal(counterText(OOM_MARK, undefined), '');
    assert.equal(counterText(OOM_MARK, null), '');
  });
});
