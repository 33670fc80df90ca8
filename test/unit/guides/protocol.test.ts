import * as assert from 'node:assert/strict';
import { isGuideHostMessage, isGuideWebviewMessage, isGuideWebviewState, MAX_COMMANDS } from '../../../src/shared/guideProtocol';

const lab = {
  id: 'pid-namespaces',
  number: 1,
  title: 'PID namespaces',
  summary: 'Run a container and compare PIDs.',
  cli: 'node /ext/dist/cli.js',
  labs: '/ext/media/labs',
  steps: [{ id: 'run-container', title: 'Run', markdown: '```sh\ndocker run …\n```', commands: [{ text: 'docker run …', source: 'docker run …' }], hasCheck: true }],
};

describe('guide protocol guards', () => {
  describe('webview -> host', () => {
    it('accepts every well-formed message', () => {
      assert.ok(isGuideWebviewMessage({ type: 'ready' }));
      assert.ok(isGuideWebviewMessage({ type: 'reset' }));
      assert.ok(isGuideWebviewMessage({ type: 'runCommand', stepId: 'run-container', index: 0, enter: true }));
      assert.ok(isGuideWebviewMessage({ type: 'runCommand', stepId: 'run-container', index: MAX_COMMANDS - 1, enter: false }));
      assert.ok(isGuideWebviewMessage({ type: 'check', stepId: 'run-container' }));
      assert.ok(isGuideWebviewMessage({ type: 'markDone', stepId: 'read.me_1' }));
      for (const action of ['retry', 'reinstall', 'copyDetails', 'showLog']) assert.ok(isGuideWebviewMessage({ type: 'errorAction', action }), action);
    });

    const bad: [string, unknown][] = [
      ['null', null],
      ['a string', 'ready'],
      ['an array', [{ type: 'ready' }]],
      ['no type', {}],
      ['unknown type', { type: 'runText', text: 'rm -rf /' }],
      ['extra field on ready', { type: 'ready', html: '<b>' }],
      ['extra field on reset', { type: 'reset', labId: 'other' }],
      ['command text instead of an index', { type: 'runCommand', stepId: 's', index: 0, enter: true, text: 'rm -rf /' }],
      ['an index given as text', { type: 'runCommand', stepId: 's', index: 'rm -rf /', enter: true }],
      ['a numeric string index', { type: 'runCommand', stepId: 's', index: '0', enter: true }],
      ['a negative index', { type: 'runCommand', stepId: 's', index: -1, enter: true }],
      ['a fractional index', { type: 'runCommand', stepId: 's', index: 0.5, enter: true }],
      ['an index past the bound', { type: 'runCommand', stepId: 's', index: MAX_COMMANDS, enter: true }],
      ['NaN index', { type: 'runCommand', stepId: 's', index: Number.NaN, enter: true }],
      ['enter as a string', { type: 'runCommand', stepId: 's', index: 0, enter: 'yes' }],
      ['runCommand without enter', { type: 'runCommand', stepId: 's', index: 0 }],
      ['a step id with a newline', { type: 'check', stepId: 'a\nb' }],
      ['a step id with shell characters', { type: 'check', stepId: 'a;rm -rf /' }],
      ['a step id with a path', { type: 'check', stepId: '../x' }],
      ['an empty step id', { type: 'check', stepId: '' }],
      ['a huge step id', { type: 'check', stepId: 'x'.repeat(1000) }],
      ['a step id that is an object', { type: 'markDone', stepId: { id: 's' } }],
      ['check with an extra command', { type: 'check', stepId: 's', command: 'x' }],
      ['a prototype-polluting key', JSON.parse('{"type":"ready","__proto__":{"x":1}}')],
      ['an error action the page does not have', { type: 'errorAction', action: 'runShell' }],
      ['an error action with a command', { type: 'errorAction', action: 'reinstall', command: 'workbench.action.terminal.sendSequence' }],
      ['an error action without its action', { type: 'errorAction' }],
      ['an error action given as a list', { type: 'errorAction', action: ['retry'] }],
    ];
    for (const [what, msg] of bad) it(`refuses ${what}`, () => assert.equal(isGuideWebviewMessage(msg), false));
  });

  describe('host -> webview', () => {
    it('accepts every well-formed message', () => {
      assert.ok(isGuideHostMessage({ type: 'lab', lab, done: [], verdicts: {} }));
      assert.ok(isGuideHostMessage({ type: 'lab', lab, done: ['run-container'], verdicts: { 'run-container': { ok: true, detail: 'PID 1 is sleep' } } }));
      assert.ok(isGuideHostMessage({ type: 'progress', done: ['run-container'] }));
      assert.ok(isGuideHostMessage({ type: 'busy', what: 'check', stepId: 'run-container', busy: true }));
      assert.ok(isGuideHostMessage({ type: 'busy', what: 'reset', busy: false }));
      assert.ok(isGuideHostMessage({ type: 'verdict', stepId: 'run-container', verdict: { ok: false, detail: 'no container', hint: 'run it first' } }));
      assert.ok(isGuideHostMessage({ type: 'verdict', stepId: 'vf', verdict: { ok: true, detail: 'VF seen', simulated: true } }));
      assert.ok(isGuideHostMessage({ type: 'resetDone', removed: ['container vlg-pid'], left: [{ object: 'netns vlgx', error: 'busy' }] }));
      assert.ok(isGuideHostMessage({ type: 'notice', text: 'Reset failed' }));
      const problem = { file: '/ext/media/labs/06-ovs/lab.md', line: 1, message: 'must start with a front matter block' };
      assert.ok(isGuideHostMessage({ type: 'loadError', labId: 'ovs', number: 6, title: 'Virtual switches', problems: [problem], extensionDir: '/ext' }));
      assert.ok(isGuideHostMessage({ type: 'loadError', labId: 'guided.labs', problems: [{ file: '/ext/media/labs', message: 'cannot read the guided labs folder (ENOENT)' }], extensionDir: '/ext' }));
    });

    const bad: [string, unknown][] = [
      ['unknown type', { type: 'html', html: '<script>' }],
      ['a lab without its cli', { type: 'lab', lab: { ...lab, cli: undefined }, done: [], verdicts: {} }],
      ['a lab without its labs folder', { type: 'lab', lab: { ...lab, labs: 7 }, done: [], verdicts: {} }],
      ['a lab without steps', { type: 'lab', lab: { ...lab, steps: undefined }, done: [], verdicts: {} }],
      ['a step whose commands are plain strings', { type: 'lab', lab: { ...lab, steps: [{ ...lab.steps[0], commands: ['x'] }] }, done: [], verdicts: {} }],
      ['a command without its source', { type: 'lab', lab: { ...lab, steps: [{ ...lab.steps[0], commands: [{ text: 'x' }] }] }, done: [], verdicts: {} }],
      ['a verdict without detail', { type: 'verdict', stepId: 's', verdict: { ok: true } }],
      ['a verdict with a non-string hint', { type: 'verdict', stepId: 's', verdict: { ok: false, detail: 'x', hint: 1 } }],
      ['verdicts keyed by a bad id', { type: 'lab', lab, done: [], verdicts: { 'a b': { ok: true, detail: 'x' } } }],
      ['busy of something else', { type: 'busy', what: 'shell', busy: true }],
      ['a reset report with a bad left entry', { type: 'resetDone', removed: [], left: ['x'] }],
      ['progress that is not a list', { type: 'progress', done: 'run-container' }],
      ['a load error without problems', { type: 'loadError', labId: 'ovs', extensionDir: '/ext' }],
      ['a load error with a bad lab id', { type: 'loadError', labId: '../ovs', problems: [], extensionDir: '/ext' }],
      ['a load error problem with line 0', { type: 'loadError', labId: 'ovs', problems: [{ file: 'f', line: 0, message: 'm' }], extensionDir: '/ext' }],
      ['a load error problem as a string', { type: 'loadError', labId: 'ovs', problems: ['f: m'], extensionDir: '/ext' }],
      ['a load error without the extension folder', { type: 'loadError', labId: 'ovs', problems: [] }],
    ];
    for (const [what, msg] of bad) it(`refuses ${what}`, () => assert.equal(isGuideHostMessage(msg), false));
  });

  it('reads back only a saved lab id', () => {
    assert.ok(isGuideWebviewState({ labId: 'pid-namespaces' }));
    assert.equal(isGuideWebviewState({ labId: '<img>' }), false);
    assert.equal(isGuideWebviewState(undefined), false);
    assert.equal(isGuideWebviewState('pid-namespaces'), false);
  });
});
