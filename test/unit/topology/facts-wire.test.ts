import * as assert from 'node:assert/strict';
import type { Snapshot } from '../../../src/core/model/graph';
import { diffSnapshots } from '../../../src/core/model/diff';
import { ALLOWED_COMMANDS } from '../../../src/shared/protocol';
import { toWireDiff, toWireGraph } from '../../../src/extension/topology/wire';
import { actionsFor, factRows, metricsKindOf } from '../../../webview/facts';

const ctr = {
  id: 'container:c1',
  kind: 'container' as const,
  label: 'web',
  props: {
    state: 'running',
    labels: { note: '</script><script>alert(1)</script>' },
    cgroup: { memoryLimitBytes: 67108864, files: { memoryLimitBytes: '/sys/fs/cgroup/memory/docker/c1/memory.limit_in_bytes' } },
    pids: [1, 2, 3],
  },
};

describe('topology side panel facts', () => {
  it('spreads one level of nesting and keeps the source file of each value', () => {
    const rows = factRows(ctr);
    const limit = rows.find((r) => r.key === 'cgroup.memoryLimitBytes');
    assert.deepEqual(limit, { key: 'cgroup.memoryLimitBytes', value: '67108864', source: '/sys/fs/cgroup/memory/docker/c1/memory.limit_in_bytes' });
    assert.equal(rows.find((r) => r.key === 'labels.note')?.value, '</script><script>alert(1)</script>');
    assert.equal(rows.some((r) => r.key === 'pids'), false, 'large lists are left to the tree');
  });

  it('keeps {value, file} props as value + source', () => {
    const rows = factRows({ id: 'cgroup:/x', kind: 'cgroup', label: '/x', props: { memoryUsageBytes: { value: 42, file: '/sys/fs/cgroup/x/memory.current' } } });
    assert.deepEqual(rows.find((r) => r.key === 'memoryUsageBytes'), { key: 'memoryUsageBytes', value: '42', source: '/sys/fs/cgroup/x/memory.current' });
  });

  it('offers only allow-listed actions, fitting the node', () => {
    const kinds = ['container', 'cgroup', 'ovs-bridge', 'interface', 'process', 'vm'] as const;
    for (const k of kinds) for (const a of actionsFor({ id: 'x', kind: k, label: 'x', props: { state: 'running' } })) assert.ok((ALLOWED_COMMANDS as readonly string[]).includes(a.command));
    assert.deepEqual(actionsFor(ctr).map((a) => a.command), ['virtlab.revealInTree', 'virtlab.openNamespaceTerminal', 'virtlab.inspectContainerNamespaces', 'virtlab.showCgroup']);
    assert.deepEqual(actionsFor({ id: 'o', kind: 'ovs-bridge', label: 'br', props: {} }).map((a) => a.command), ['virtlab.revealInTree', 'virtlab.showFlows']);
    assert.equal(metricsKindOf(ctr), 'cgroup');
    assert.equal(metricsKindOf({ ...ctr, props: { state: 'exited' } }), undefined);
    assert.equal(metricsKindOf({ id: 'i', kind: 'interface', label: 'eth0', props: {} }), 'interface');
  });
});

describe('topology wire format', () => {
  const snap = (nodes: Snapshot['nodes'], edges: Snapshot['edges']): Snapshot => ({ version: 1, takenAt: 't', nodes, edges, report: { durationMs: 1, skipped: [], sources: { docker: { state: 'ok' } } } });
  const a = snap(
    [ctr, { id: 'process:7', kind: 'process', label: 'sh', props: {} }, { id: 'ns:net:2', kind: 'namespace', label: 'n', props: { type: 'net', pids: [7] } }],
    [{ from: 'process:7', to: 'ns:net:2', kind: 'member-of' }, { from: 'container:c1', to: 'ns:net:2', kind: 'member-of' }],
  );

  it('leaves processes, their edges and pid lists out of the graph', () => {
    const w = toWireGraph(a);
    assert.deepEqual(w.nodes.map((n) => n.id), ['container:c1', 'ns:net:2']);
    assert.deepEqual(w.edges, [{ from: 'container:c1', to: 'ns:net:2', kind: 'member-of' }]);
    assert.equal('pids' in w.nodes[1]!.props, false);
    assert.deepEqual(w.sources, { docker: { state: 'ok' } });
    assert.ok('pids' in a.nodes[2]!.props, 'the snapshot itself is not changed');
  });

  it('filters diffs the same way', () => {
    const b = snap([{ ...ctr, props: { ...ctr.props, state: 'exited' } }, { id: 'process:8', kind: 'process', label: 'sh', props: {} }], [{ from: 'process:8', to: 'container:c1', kind: 'runs' }]);
    const d = toWireDiff(diffSnapshots(a, b), 't2');
    assert.deepEqual(d.addedNodes, []);
    assert.deepEqual(d.changedNodes.map((n) => n.id), ['container:c1']);
    assert.deepEqual(d.removedNodes, ['ns:net:2']);
    assert.deepEqual(d.addedEdges, []);
    assert.deepEqual(d.removedEdges, [{ from: 'container:c1', to: 'ns:net:2', kind: 'member-of' }]);
  });
});
