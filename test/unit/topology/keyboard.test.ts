import * as assert from 'node:assert/strict';
import { bestMatch, describeNode, directionOfKey, nearestInDirection, type Spot } from '../../../webview/keyboard';

// A plus of nodes around c, with decoys: screen coordinates, y grows downwards.
const c: Spot = { id: 'c', x: 100, y: 100 };
const spots: Spot[] = [
  c,
  { id: 'right-far', x: 300, y: 100 },
  { id: 'right-near', x: 160, y: 110 },
  { id: 'right-steep', x: 130, y: 40 }, // closer, but more up than right: belongs to "up"
  { id: 'left', x: 20, y: 95 },
  { id: 'up', x: 105, y: 20 },
  { id: 'down', x: 90, y: 220 },
];

describe('topology keyboard: nearest node in a direction', () => {
  it('goes to the nearest node inside the direction cone', () => {
    assert.equal(nearestInDirection(c, spots, 'right')?.id, 'right-near');
    assert.equal(nearestInDirection(c, spots, 'left')?.id, 'left');
    assert.equal(nearestInDirection(c, spots, 'down')?.id, 'down');
    assert.equal(nearestInDirection(c, spots, 'up')?.id, 'up', '(5, -80) nearly straight up beats (30, -60), nearer but off to the side');
    assert.equal(nearestInDirection(c, spots.filter((s) => s.id !== 'up'), 'up')?.id, 'right-steep', 'still inside the up cone');
  });

  it('prefers a node straight ahead over a nearer one off to the side', () => {
    const from: Spot = { id: 'a', x: 0, y: 0 };
    const ahead: Spot = { id: 'ahead', x: 100, y: 0 };
    const side: Spot = { id: 'side', x: 60, y: 55 };
    assert.equal(nearestInDirection(from, [from, side, ahead], 'right')?.id, 'ahead');
  });

  it('has no answer at the edge of the picture, and never returns the node itself', () => {
    assert.equal(nearestInDirection({ id: 'right-far', x: 300, y: 100 }, spots, 'right'), undefined);
    assert.equal(nearestInDirection(c, [c], 'left'), undefined);
    assert.equal(nearestInDirection(c, [], 'up'), undefined);
  });

  it('breaks ties by id, whatever the order of the candidates', () => {
    const a: Spot = { id: 'b', x: 50, y: 0 };
    const b: Spot = { id: 'a', x: 50, y: 0 };
    const from: Spot = { id: 'o', x: 0, y: 0 };
    assert.equal(nearestInDirection(from, [a, b], 'right')?.id, 'a');
    assert.equal(nearestInDirection(from, [b, a], 'right')?.id, 'a');
  });

  it('maps arrow keys, and nothing else, to directions', () => {
    assert.deepEqual(['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Enter', 'a'].map(directionOfKey), ['left', 'right', 'up', 'down', undefined, undefined]);
  });

  it('says what a node is in words', () => {
    assert.equal(describeNode('web1', 'container', 'netns of web1'), 'web1, container in netns of web1');
    assert.equal(describeNode('br0', 'ovs-bridge'), 'br0, ovs bridge');
  });

  it('search + Enter picks the exact label, then a prefix, then the shortest label containing it', () => {
    const c3 = [{ id: 'x:1', label: 'vlttopoweb-eth0' }, { id: 'x:2', label: 'vlttopoweb' }, { id: 'x:3', label: 'my-vlttopoweb' }];
    assert.equal(bestMatch('VLTtopoweb', c3), 'x:2');
    assert.equal(bestMatch('vlttopo', c3), 'x:2');
    assert.equal(bestMatch('eth0', [{ id: 'b', label: 'veth0abc' }, { id: 'a', label: 'eth0' }]), 'a');
    assert.equal(bestMatch('zzz', []), undefined);
  });
});
