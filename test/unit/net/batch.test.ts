import assert from 'node:assert/strict';
import { parseBatchOutput } from '../../../src/core/net/batch';

describe('net batch output', () => {
  it('splits find output into per-namespace ip output keyed by path, with the inode find saw', () => {
    const out = '\n@virtlab-netns 4026532001 /run/netns/a b\n[{"ifindex":1}]\n\n@virtlab-netns 4026532002 /proc/42/ns/net\n\n@virtlab-netns 4026532003 /run/docker/netns/x\n[]\n';
    const m = parseBatchOutput(out);
    assert.deepEqual([...m.keys()], ['/run/netns/a b', '/proc/42/ns/net', '/run/docker/netns/x']);
    assert.deepEqual(m.get('/run/netns/a b'), { inode: 4026532001, text: '[{"ifindex":1}]\n' });
    // nsenter failed for this one: nothing between two markers.
    assert.equal(m.get('/proc/42/ns/net')?.text.trim(), '');
    assert.equal(m.get('/run/docker/netns/x')?.inode, 4026532003);
  });

  it('ignores output before the first marker and a marker cut off by a timeout', () => {
    const m = parseBatchOutput('garbage @virtlab-netns 1 /run/netns/a\n[]\n\n@virtlab-netns 2 /run/ne');
    assert.deepEqual([...m.keys()], []);
    const m2 = parseBatchOutput('\n@virtlab-netns 1 /run/netns/a\n[]\n\n@virtlab-netns 2 /run/ne');
    assert.deepEqual([...m2.keys()], ['/run/netns/a']);
  });
});
