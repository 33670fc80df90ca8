// Reliability, workspace trust: workspace trust. A workspace whose .vscode/settings.json points the Docker
// socket, the proc and sys roots, executables and the tool PATH at things inside the workspace is
// opened in Restricted Mode (trust on, workspace not trusted) in a served VS Code; VirtLab must run
// nothing from it and keep reading the machine with the user's (default) settings. A second test
// compares package.json's restrictedConfigurations with the settings VirtLab contributes.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { REPO, runPaletteCommand, showVirtLab } from '../e2e/workbench';
import { add } from './tally';
import { logLines, RESULTS_DIR, serveVirtLab, SLOW_MS, virtlabIcon, wait, waitLogLine, type Served } from './workbench-rel';

const CTR = 'vlr9b-trust';
const MARKERS = '/tmp/vlr9b-trust-markers';
const FAKE_KERNEL = 'vlr9b-fake-kernel';
// Programs VirtLab (or anything it starts) could look up: each is planted in the workspace.
const TOOLS = ['ip', 'ovs-vsctl', 'ovs-ofctl', 'ovs-appctl', 'docker', 'nsenter', 'lsns', 'tc', 'bridge', 'ethtool', 'virsh', 'qemu-system-x86_64', 'sh', 'bash', 'find', 'sudo', 'systemd-detect-virt', 'node', 'tcpdump'];

interface PkgSetting {
  type?: string | string[];
  scope?: string;
  default?: unknown;
  description?: string;
  markdownDescription?: string;
}

/** A script that leaves a marker named after itself when run. */
function plant(file: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `#!/bin/sh\nmkdir -p ${MARKERS}\necho "$0 $*" > ${MARKERS}/$(basename "$0")-$$\n`, { mode: 0o755 });
}

function hostileWorkspace(ws: string, socket: string): number {
  const evil = path.join(ws, 'evil');
  for (const t of TOOLS) {
    plant(path.join(evil, 'bin', t));
    // Also at the workspace root, for a PATH with an empty or "." entry resolved from the cwd.
    plant(path.join(ws, t));
  }
  // A fake proc and sys tree that would show a made-up kernel if VirtLab read them.
  fs.mkdirSync(path.join(evil, 'proc/sys/kernel'), { recursive: true });
  fs.writeFileSync(path.join(evil, 'proc/sys/kernel/osrelease'), `${FAKE_KERNEL}\n`);
  fs.mkdirSync(path.join(evil, 'sys/class/net'), { recursive: true });
  const bin = path.join(evil, 'bin');
  const settings: Record<string, unknown> = {
    'virtlab.dockerSocket': socket,
    'virtlab.procRoot': path.join(evil, 'proc'),
    'virtlab.sysRoot': path.join(evil, 'sys'),
    // Settings VirtLab does not have (today): if one is ever added without restriction, this catches it.
    'virtlab.ipPath': path.join(bin, 'ip'),
    'virtlab.ovsVsctlPath': path.join(bin, 'ovs-vsctl'),
    'virtlab.dockerPath': path.join(bin, 'docker'),
    'virtlab.path': bin,
    // Not a path, but a workspace must not set how often VirtLab rescans in Restricted Mode either.
    'virtlab.refreshInterval': 1,
    'terminal.integrated.env.linux': { PATH: `${bin}:\${env:PATH}` },
  };
  fs.mkdirSync(path.join(ws, '.vscode'), { recursive: true });
  fs.writeFileSync(path.join(ws, '.vscode/settings.json'), JSON.stringify(settings, null, 2));
  // A lab file: bringing it up creates kernel objects as root, so Lab: Up must wait for trust.
  fs.writeFileSync(
    path.join(ws, 'vlr9b.vlab.yaml'),
    ['name: vlr9btrust', 'topology:', '  nodes:', '    h1: { kind: host }', '    s1: { kind: bridge }', '  links:', '    - endpoints: [h1, s1]', ''].join('\n'),
  );
  return Object.keys(settings).length + TOOLS.length * 2 + 1;
}

const markers = () => (fs.existsSync(MARKERS) ? fs.readdirSync(MARKERS) : []);

describe('Workspace trust (reliability: workspace trust)', function () {
  this.timeout(SLOW_MS * 3);

  it('package.json restricts every setting that names a path, and executables are machine-scoped', function () {
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as {
      capabilities: { untrustedWorkspaces: { supported: boolean | string; restrictedConfigurations?: string[] } };
      contributes: { configuration: { properties: Record<string, PkgSetting> } | { properties: Record<string, PkgSetting> }[] };
    };
    const confs = Array.isArray(pkg.contributes.configuration) ? pkg.contributes.configuration : [pkg.contributes.configuration];
    const settings: Record<string, PkgSetting> = Object.assign({}, ...confs.map((c) => c.properties));
    const trust = pkg.capabilities.untrustedWorkspaces;
    const restricted = new Set(trust.restrictedConfigurations ?? []);
    // A setting names a path when it is a string whose name or default or description says so.
    // An exclude list (globs, like files.exclude) only takes files away from what VirtLab looks at:
    // it can point VirtLab at nothing, so a workspace may set it, and it is not counted here.
    const excludeOnly = (k: string, s: PkgSetting) => /\.exclude$/.test(k) && ([] as string[]).concat(s.type ?? []).join() === 'array' && s.scope === 'resource';
    const pathLike = Object.entries(settings).filter(([k, s]) => {
      const types = ([] as string[]).concat(s.type ?? []);
      if (!types.includes('string') && !types.includes('array')) return false;
      if (excludeOnly(k, s)) return false;
      const text = `${k} ${s.description ?? ''} ${s.markdownDescription ?? ''}`;
      return /socket|root|path|dir|folder|file|executable|binary|program|command|\bbin\b/i.test(text) || (typeof s.default === 'string' && s.default.startsWith('/'));
    });
    const executables = pathLike.filter(([k, s]) => /executable|binary|program|command|\bbin\b|Path$/i.test(`${k} ${s.description ?? ''}`));
    const wrong = [
      // VS Code reads restrictedConfigurations only when supported is "limited". (code-server 4.139
      // then also ignored the user's own value of these machine-scoped settings in a trusted window:
      // idle.test.ts caught it. So VirtLab keeps `supported: true` and relies on machine scope.)
      trust.supported !== 'limited' && restricted.size > 0 && `untrustedWorkspaces.supported is ${JSON.stringify(trust.supported)}, so restrictedConfigurations is ignored`,
      ...pathLike.filter(([k, s]) => !restricted.has(k) && s.scope !== 'machine').map(([k]) => `${k} names a path but is neither restricted nor machine-scoped`),
      ...executables.filter(([, s]) => s.scope !== 'machine').map(([k, s]) => `${k} names an executable but has scope ${s.scope ?? 'window'} (must be machine)`),
      ...[...restricted].filter((k) => !(k in settings)).map((k) => `restrictedConfigurations lists ${k}, which is not a setting`),
    ].filter(Boolean) as string[];
    add('workspace-trust', { tried: pathLike.length, failed: Math.min(wrong.length, pathLike.length), survived: pathLike.length - Math.min(wrong.length, pathLike.length), extra: { 'path settings': pathLike.length, 'path settings machine-scoped or restricted': pathLike.filter(([k, s]) => restricted.has(k) || s.scope === 'machine').length } });
    assert.ok(pathLike.length >= 3, `found the path settings: ${pathLike.map(([k]) => k).join(', ')}`);
    assert.deepEqual(wrong, []);
  });

  describe('a hostile workspace in Restricted Mode', function () {
    let served: Served | undefined;
    let page: Page;
    let planted = 0;
    let fakeDaemon: net.Server;
    let connections = 0;
    let sockDir = '';
    const kernel = execFileSync('uname', ['-r'], { encoding: 'utf8' }).trim();

    before(async function () {
      fs.rmSync(MARKERS, { recursive: true, force: true });
      try {
        execFileSync('docker', ['rm', '-f', CTR], { stdio: 'ignore', timeout: 60_000 });
      } catch {
        /* not there */
      }
      execFileSync('docker', ['run', '-d', '--name', CTR, '--network', 'none', 'virtlab/busybox:latest', 'sleep', '900'], { stdio: 'ignore', timeout: 60_000 });
      // The workspace's "Docker socket": a listener that counts who connects.
      sockDir = fs.mkdtempSync('/tmp/vlr9b-trust-');
      const socket = path.join(sockDir, 'docker.sock');
      fakeDaemon = net.createServer((c) => {
        connections++;
        c.destroy();
      });
      await new Promise<void>((r) => fakeDaemon.listen(socket, r));
      served = await serveVirtLab('rel-trust', {
        workspaceTrust: true,
        settings: { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never', 'security.workspace.trust.banner': 'always' },
        workspace: (ws) => (planted = hostileWorkspace(ws, socket)),
      });
      page = served.page;
    });

    after(async function () {
      await served?.close();
      fakeDaemon?.close();
      try {
        execFileSync('docker', ['rm', '-f', CTR], { stdio: 'ignore', timeout: 60_000 });
      } catch {
        /* gone */
      }
      fs.rmSync(MARKERS, { recursive: true, force: true });
      if (sockDir) fs.rmSync(sockDir, { recursive: true, force: true });
    });

    it('runs nothing from the workspace and reads the machine with the default settings', async function () {
      // Restricted Mode is on: the workbench says so.
      await page.locator('.statusbar-item, .banner', { hasText: /Restricted Mode/i }).first().waitFor({ state: 'visible' });
      await showVirtLab(page, virtlabIcon(page));
      // Host shows the real kernel, not the fake one from the workspace's proc root.
      const hostHeader = page.locator('.sidebar .pane-header', { hasText: /^Host/ }).first();
      if ((await hostHeader.getAttribute('aria-expanded')) === 'false') await hostHeader.click();
      await page.getByRole('treeitem', { name: `Kernel: ${kernel}` }).waitFor({ state: 'visible' });
      // Containers come from the real Docker socket, not the workspace's.
      await page.getByRole('treeitem', { name: new RegExp(`^${CTR}\\b`) }).first().waitFor({ state: 'visible' });
      // Work that runs tools: a refresh, the topology, and Lab: Up of the workspace lab file.
      const from = logLines(served!.profile).length;
      await runPaletteCommand(page, 'VirtLab: Refresh');
      await waitLogLine(served!.profile, /snapshot \(full\)/, from);
      await runPaletteCommand(page, 'VirtLab: Lab: Up');
      const labRefused = await waitLogLine(served!.profile, /lab up refused: this workspace is not trusted/, from).then(() => true, () => false);
      await runPaletteCommand(page, 'VirtLab: Open Topology');
      await page.locator('.notification-toast', { hasText: /Restricted Mode/ }).first().waitFor({ state: 'visible', timeout: 30_000 }).catch(() => undefined);
      // Give a live rescan (every 5 s by default while a view is visible) time to run the tools.
      await wait(10_000);
      await page.screenshot({ path: path.join(RESULTS_DIR, 'rel-trust-restricted.png') });
      const fakeKernelShown = (await page.getByRole('treeitem', { name: new RegExp(FAKE_KERNEL) }).count()) > 0;
      // Live rescans run at the user's interval (the default 5 s), not the workspace's 1 s.
      const rescans = logLines(served!.profile)
        .map((l) => /live updates on .*full rescan every (\d+) s/.exec(l)?.[1])
        .filter((x): x is string => x !== undefined);
      const ran = markers();
      const netnsLeft = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' }).includes('vlr9btrust');
      const failures = [
        ...ran.map((m) => `ran ${m}`),
        connections > 0 && `connected ${connections}x to the workspace's Docker socket`,
        fakeKernelShown && "showed the workspace's proc root",
        (rescans.length === 0 || rescans.some((x) => x !== '5')) && `live rescan intervals ${JSON.stringify(rescans)} s (want 5, the user's default, never the workspace's 1)`,
        !labRefused && 'Lab: Up of a workspace lab file was not refused',
        netnsLeft && 'the workspace lab was brought up',
      ].filter(Boolean) as string[];
      add('workspace-trust', {
        tried: planted,
        failed: Math.min(planted, failures.length),
        survived: planted - Math.min(planted, failures.length),
        extra: { 'workspace programs run': ran.length, "workspace Docker socket connections": connections, 'restricted mode lab up refused': labRefused ? 1 : 0 },
      });
      assert.deepEqual(failures, []);
    });
  });
});
