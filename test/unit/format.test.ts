import assert from 'node:assert/strict';
import { formatBytes } from '../../src/shared/format';

describe('formatBytes (trees and webview charts)', () => {
  it('uses binary units with automatic or fixed decimals', () => {
    assert.equal(formatBytes(512), '512 B');
    assert.equal(formatBytes(64 * 1024 ** 2), '64 MiB');
    assert.equal(formatBytes(64 * 1024 ** 2, 1), '64.0 MiB');
    assert.equal(formatBytes(1.5 * 1024 ** 3), '1.5 GiB');
    assert.equal(formatBytes(-2048, 1), '-2.0 KiB');
  });
});
