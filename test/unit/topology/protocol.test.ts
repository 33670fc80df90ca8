import * as assert from 'node:assert/strict';
import { ALLOWED_COMMANDS, isHostMessage, isWebviewMessage } from '../../../src/shared/protocol';

const node = { id: 'container:abc', kind: 'container', label: 'web', props: {} };
const graph = { takenAt: '2024-01-01T00:00:00Z', nodes: [node], edges: [{ from: 'container:abc', to: 'ns:net:1', kind: 'member-of' }], sources: {} };

describe('topology protocol guards', () => {
  describe('webview -> host', () => {
    it('accepts every well-formed message', () => {
      assert.ok(isWebviewMessage({ type: 'ready' }));
      assert.ok(isWebviewMessage({ type: 'refresh' }));
      for (const command of ALLOWED_COMMANDS) assert.ok(isWebviewMessage({ type: 'runCommand', requestId: 1, command, nodeId: 'container:abc' }), command);
      assert.ok(isWebviewMessage({ type: 'watchMetrics', nodeId: 'iface:1:2' }));
      assert.ok(isWebviewMessage({ type: 'watchMetrics', nodeId: null }));
      assert.ok(isWebviewMessage({ type: 'export', requestId: 3, format: 'svg', data: '<svg></svg>' }));
      assert.ok(isWebviewMessage({ type: 'export', requestId: 3, format: 'png', data: 'data:image/png;base64,iVBORw0KGgo=' }));
    });

    const bad: [string, unknown][] = [
      ['null', null],
      ['a string', 'ready'],
      ['an array', [{ type: 'ready' }]],
      ['no type', {}],
      ['unknown type', { type: 'eval', code: '1' }],
      ['extra field on ready', { type: 'ready', html: '<b>' }],
      ['a command outside the allow-list', { type: 'runCommand', requestId: 1, command: 'workbench.action.terminal.sendSequence', nodeId: 'x' }],
      ['a command URI', { type: 'runCommand', requestId: 1, command: 'command:virtlab.showFlows', nodeId: 'x' }],
      ['a command with extra args', { type: 'runCommand', requestId: 1, command: 'virtlab.showFlows', nodeId: 'x', args: ['--rm'] }],
      ['a non-string node id', { type: 'runCommand', requestId: 1, command: 'virtlab.showFlows', nodeId: { nodeId: 'x' } }],
      ['an empty node id', { type: 'runCommand', requestId: 1, command: 'virtlab.showFlows', nodeId: '' }],
      ['a node id with a newline', { type: 'runCommand', requestId: 1, command: 'virtlab.showFlows', nodeId: 'a\nb' }],
      ['a huge node id', { type: 'runCommand', requestId: 1, command: 'virtlab.showFlows', nodeId: 'x'.repeat(10_000) }],
      ['a negative request id', { type: 'runCommand', requestId: -1, command: 'virtlab.showFlows', nodeId: 'x' }],
      ['a fractional request id', { type: 'runCommand', requestId: 1.5, command: 'virtlab.showFlows', nodeId: 'x' }],
      ['watchMetrics without nodeId', { type: 'watchMetrics' }],
      ['watchMetrics with a number', { type: 'watchMetrics', nodeId: 7 }],
      ['export of another format', { type: 'export', requestId: 1, format: 'html', data: '<script>' }],
      ['a png that is not a png data URL', { type: 'export', requestId: 1, format: 'png', data: 'javascript:alert(1)' }],
      ['an svg that is not markup', { type: 'export', requestId: 1, format: 'svg', data: 'hello' }],
      ['a prototype-polluting key', JSON.parse('{"type":"ready","__proto__":{"x":1}}')],
    ];
    for (const [what, msg] of bad) it(`refuses ${what}`, () => assert.equal(isWebviewMessage(msg), false));
  });

  describe('host -> webview', () => {
    it('accepts graph, diff, metrics, reply and focus messages', () => {
      assert.ok(isHostMessage({ type: 'graph', graph }));
      assert.ok(isHostMessage({ type: 'diff', diff: { takenAt: 't', addedNodes: [node], changedNodes: [], removedNodes: ['a'], addedEdges: [], removedEdges: [] } }));
      assert.ok(isHostMessage({ type: 'metrics', nodeId: 'container:abc', kind: 'cgroup', point: { t: 1, values: { memoryBytes: 5, memoryLimitBytes: null }, events: ['oom'] }, sources: { memoryBytes: '/sys/fs/cgroup/memory/x' } }));
      assert.ok(isHostMessage({ type: 'metrics', nodeId: 'container:abc', kind: 'cgroup', point: { t: 2, values: { oomKills: 7, throttledPeriods: 120 }, events: ['oom', 'throttled'] }, sources: { oomKillEvents: '/sys/fs/cgroup/memory/x/memory.oom_control' } }));
      assert.ok(isHostMessage({ type: 'metricsUnavailable', nodeId: 'x', reason: 'gone' }));
      assert.ok(isHostMessage({ type: 'reply', requestId: 1, ok: false, error: 'no' }));
      assert.ok(isHostMessage({ type: 'focus', nodeId: 'x' }));
    });

    it('refuses malformed graphs, diffs and metric points', () => {
      assert.equal(isHostMessage({ type: 'graph', graph: { ...graph, nodes: [{ id: 1, kind: 'x', label: 'y', props: {} }] } }), false);
      assert.equal(isHostMessage({ type: 'graph', graph: { ...graph, edges: [{ from: 'a' }] } }), false);
      assert.equal(isHostMessage({ type: 'graph', graph: { ...graph, nodes: [{ ...node, props: null }] } }), false);
      assert.equal(isHostMessage({ type: 'diff', diff: { takenAt: 't', addedNodes: [], changedNodes: [], removedNodes: [3], addedEdges: [], removedEdges: [] } }), false);
      assert.equal(isHostMessage({ type: 'metrics', nodeId: 'x', kind: 'cgroup', point: { t: 1, values: { evil: 1 }, events: [] }, sources: {} }), false);
      assert.equal(isHostMessage({ type: 'metrics', nodeId: 'x', kind: 'cgroup', point: { t: 1, values: { cpuPercent: 'NaN' }, events: [] }, sources: {} }), false);
      assert.equal(isHostMessage({ type: 'metrics', nodeId: 'x', kind: 'cgroup', point: { t: 1, values: { oomKills: '7' }, events: ['oom'] }, sources: {} }), false);
      assert.equal(isHostMessage({ type: 'metrics', nodeId: 'x', kind: 'cgroup', point: { t: 1, values: {}, events: ['boom'] }, sources: {} }), false);
      assert.equal(isHostMessage({ type: 'metrics', nodeId: 'x', kind: 'disk', point: { t: 1, values: {}, events: [] }, sources: {} }), false);
      assert.equal(isHostMessage({ type: 'reply', requestId: '1', ok: true }), false);
      assert.equal(isHostMessage({ type: 'html', html: '<img src=x onerror=alert(1)>' }), false);
      assert.equal(isHostMessage(undefined), false);
    });
  });
});
