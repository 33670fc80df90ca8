// Guided labs in the extension host: "VirtLab: Open Guided Lab…" opens one panel per guided lab from
// the guides shipped in the installed extension, and a second open reveals it instead of a copy.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

const guideTabs = () =>
  vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('virtlab.guide'));

async function until<T>(what: string, f: () => T | undefined, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = f();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('Guided labs in the extension host', function () {
  before(async function () {
    await vscode.extensions.getExtension('virtlab.virtlab')!.activate();
  });

  after(async function () {
    await vscode.window.tabGroups.close(guideTabs());
  });

  it('the walkthrough has a "Do a guided lab" step that completes on the open command', function () {
    const walk = (vscode.extensions.getExtension('virtlab.virtlab')!.packageJSON as { contributes: { walkthroughs: { steps: { title: string; completionEvents: string[] }[] }[] } }).contributes.walkthroughs[0]!;
    const step = walk.steps.find((s) => s.title === 'Do a guided lab');
    assert.ok(step, 'step exists');
    assert.deepEqual(step.completionEvents, ['onCommand:virtlab.openGuide']);
  });

  it('opens guided lab 1 by id in one panel, and reveals it when opened again', async function () {
    await vscode.commands.executeCommand('virtlab.openGuide', { labId: 'pid-namespaces' });
    const tab = await until('the guide tab', () => guideTabs().find((t) => t.label === 'Guided Lab 1: PID namespaces'));
    assert.ok(tab.isActive);
    await vscode.commands.executeCommand('virtlab.openGuide', 'pid-namespaces');
    assert.equal(guideTabs().filter((t) => t.label === tab.label).length, 1, 'no second panel for the same lab');
  });

  it('opens each lab in its own panel', async function () {
    await vscode.commands.executeCommand('virtlab.openGuide', { labId: 'cgroups' });
    await until('the cgroups guide tab', () => guideTabs().find((t) => /^Guided Lab 3: /.test(t.label)));
    assert.ok(guideTabs().length >= 2);
  });
});
