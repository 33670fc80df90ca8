import * as assert from 'node:assert/strict';
import type { Snapshot } from '../../../src/core/model/graph';
import { keepLastKnown } from '../../../src/extension/topology/lastKnown';
import { GraphModel } from '../../../webview/model';
import { toElements, DEFAULT_LAYERS } from '../../../webview/elements';
import { toWireDiff, toWireGraph } from '../../../src/extension/topology/wire';
import { isHostMessage } from '../../../src/shared/protocol';

const SOCK = '/run/vlk/docker.sock';
const snap = (nodes: Snapshot['nodes'], edges: Snapshot['edges'], docker: Snapshot['report']['sources'][string], takenAt = '2026-01-01T00:00:00Z'): Snapshot => ({
  version: 1, takenAt, nodes, edges, report: { durationMs: 1, skipped: [], sources: { docker } },
});
const host = { id: 'host:h', kind: 'host' as const, label: 'h', props: {} };
const ns = { id: 'ns:net:5', kind: 'namespace' as const, label: 'net:[5]', props: { type: 'net', inode: 5 } };
const web = { id: 'container:w', kind: 'container' as const, label: 'web', props: { state: 'running', status: 'Up 3 minutes', namespaces: { net: 5 } } };
const db = { id: 'container:d', kind: 'container' as const, label: 'db', props: { state: 'exited' } };
const img = { id: 'image:i', kind: 'image' as const, label: 'busybox', props: {} };
const before = snap([host, ns, web, db, img], [{ from: 'container:w', to: 'ns:net:5', kind: 'member-of' }, { from: 'container:w', to: 'image:i', kind: 'from-image' as never }], { state: 'ok' });
const down = { state: 'unavailable' as const, detail: `Docker is not running (no answer on ${SOCK}, VIRTLAB_DOCKER_SOCKET)` };

describe('topology: last-known Docker nodes while Docker does not answer', () => {
  it('keeps the containers, in state unknown, with their edges to nodes still there, and says so', () => {
    const r = keepLastKnown(before, snap([host, ns], [], down, '2026-01-01T00:01:00Z'), SOCK);
    const ids = r.snap.nodes.map((n) => n.id).sort();
    assert.deepEqual(ids, ['container:d', 'container:w', 'host:h', 'image:i', 'ns:net:5']);
    const w = r.snap.nodes.find((n) => n.id === 'container:w')!;
    assert.equal(w.props.state, 'unknown');
    assert.equal(w.props.lastKnownState, 'running');
    assert.equal(w.props.lastSeen, '2026-01-01T00:00:00Z');
    assert.equal(r.snap.edges.length, 2);
    assert.equal(r.notice, `Docker is not answering at ${SOCK} — showing the last-known 2 containers, greyed, in state unknown.`);
    // A second outage snapshot keeps what it was first known as.
    const again = keepLastKnown(r.snap, snap([host], [], down, '2026-01-01T00:02:00Z'), SOCK);
    const w2 = again.snap.nodes.find((n) => n.id === 'container:w')!;
    assert.equal(w2.props.lastKnownState, 'running');
    assert.equal(w2.props.lastSeen, '2026-01-01T00:00:00Z');
    assert.equal(again.snap.edges.length, 1, 'the edge into the vanished namespace goes with it');
  });

  it('passes a snapshot through when Docker answers, and says so in words when nothing was known', () => {
    const next = snap([host, web], [], { state: 'ok' });
    assert.deepEqual(keepLastKnown(before, next, SOCK), { snap: next });
    const none = keepLastKnown(undefined, snap([host], [], down), SOCK);
    assert.equal(none.snap.nodes.length, 1);
    assert.equal(none.notice, `Docker is not answering at ${SOCK} — no containers were known before, so none are drawn.`);
    assert.match(keepLastKnown(snap([host, db], [], { state: 'ok' }), snap([host], [], down), SOCK).notice!, /the last-known container,/);
  });

  it('draws a kept container greyed (class unknown), not as stopped, and the notice goes on the wire', () => {
    const r = keepLastKnown(before, snap([host, ns], [], down), SOCK);
    const wire = toWireGraph(r.snap, r.notice);
    assert.equal(wire.notice, r.notice);
    const m = new GraphModel();
    m.setGraph(wire);
    const els = toElements(m, DEFAULT_LAYERS);
    assert.equal(els.get('container:w')?.classes, 'container unknown');
    assert.equal(els.get('container:d')?.classes, 'container unknown');
    assert.equal(toWireGraph(before).notice, undefined);
  });

  it('the notice crosses the protocol only as a string', () => {
    const empty = { addedNodes: [], changedNodes: [], removedNodes: [], addedEdges: [], removedEdges: [] };
    const diff = toWireDiff(empty, 't', 'Docker is not answering at /x');
    assert.equal(isHostMessage({ type: 'diff', diff }), true);
    assert.equal(isHostMessage({ type: 'diff', diff: { ...diff, notice: 5 } }), false);
    assert.equal(toWireDiff(empty, 't').notice, undefined);
  });
});
