// Issue 13 item 1: the namespace terminal enters only the namespaces that differ from the ones
// nsenter starts in (VS Code's own), says which it skipped, and turns nsenter's stderr into a sentence.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chooseNamespaces, nothingToEnter, nsenterFailure, nsSelectionText, ownNamespaces, skippedLines, skippedSentence, targetNamespaces, type NsPickRow } from '../../../src/core/actions/nsenter';
import { NS_TYPES } from '../../../src/core/proc/namespaces';

// A plain `docker run` container as read on this machine: own cgroup, time and user namespaces are the host's.
const HOST = { cgroup: 4026531835, ipc: 4026531839, mnt: 4026531832, net: 4026531833, pid: 4026531836, time: 4026531834, user: 4026531837, uts: 4026531838 };
const CONTAINER = { ...HOST, ipc: 4026532183, mnt: 4026532181, net: 4026532185, pid: 4026532184, uts: 4026532182 };

/** A /proc-like tree of ns symlinks (readlink works on the dangling links as on /proc's). */
function procTree(entries: Record<string, Partial<Record<string, number>>>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'vlm-proc-'));
  for (const [who, inodes] of Object.entries(entries)) {
    fs.mkdirSync(path.join(root, who, 'ns'), { recursive: true });
    for (const [t, i] of Object.entries(inodes)) fs.symlinkSync(`${t}:[${i}]`, path.join(root, who, 'ns', t));
  }
  return root;
}

describe('namespace terminal: which namespaces to enter', () => {
  it('a plain container with all eight ticked: enters ipc, mnt, net, pid, uts; skips cgroup, time and user (the own user ns nsenter refuses)', () => {
    const c = chooseNamespaces(NS_TYPES, CONTAINER, HOST);
    assert.deepEqual(c.enter, ['ipc', 'mnt', 'net', 'pid', 'uts']);
    assert.deepEqual(c.skipped.map((s) => s.type), ['cgroup', 'time', 'user']);
    assert.deepEqual(c.skipped[2], { type: 'user', inode: HOST.user });
  });

  it('a rootless container (own user namespace) keeps user; only what was ticked is considered', () => {
    const c = chooseNamespaces(['net', 'user', 'time'], { ...CONTAINER, user: 4026532500 }, HOST);
    assert.deepEqual(c.enter, ['net', 'user']);
    assert.deepEqual(c.skipped.map((s) => s.type), ['time']);
  });

  it('an inode unknown on either side is entered (nsenter decides), never silently dropped', () => {
    const c = chooseNamespaces(['net', 'user'], { net: CONTAINER.net }, { user: HOST.user });
    assert.deepEqual(c.enter, ['net', 'user']);
    assert.deepEqual(c.skipped, []);
  });

  it('reads inodes under a root dir: own from <root>/self/ns, the target from <root>/<pid>/ns', () => {
    const root = procTree({ self: HOST, '4242': CONTAINER });
    try {
      assert.deepEqual(ownNamespaces(root), HOST);
      assert.deepEqual(targetNamespaces(4242, root), CONTAINER);
      assert.deepEqual(targetNamespaces(999999, root), {});
      assert.deepEqual(chooseNamespaces(NS_TYPES, targetNamespaces(4242, root), ownNamespaces(root)).enter, ['ipc', 'mnt', 'net', 'pid', 'uts']);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('says which were skipped and why, in words', () => {
    const { skipped } = chooseNamespaces(NS_TYPES, CONTAINER, HOST);
    assert.deepEqual(skippedLines(skipped), [
      `cgroup: same as VS Code's own (${HOST.cgroup}), so not entered`,
      `time: same as VS Code's own (${HOST.time}), so not entered`,
      `user: same as VS Code's own (${HOST.user}), so not entered (nsenter cannot re-enter the user namespace it is in)`,
    ]);
    assert.equal(skippedSentence(skipped), "Not entered: cgroup, time and user, they are the same as VS Code's own, so entering would change nothing (and nsenter cannot re-enter the user namespace it is in).");
    assert.equal(skippedSentence(skipped.slice(0, 1)), "Not entered: cgroup, it is the same as VS Code's own, so entering would change nothing.");
    assert.equal(skippedSentence([]), '');
    assert.match(nothingToEnter('web', skipped), /^Every namespace you picked for web \(cgroup, time and user\) is already VS Code's own/);
  });
});

describe('namespace terminal: nsenter failures as sentences', () => {
  it("the own user namespace: \"reassociate to namespace 'ns/user' failed: Invalid argument\"", () => {
    assert.equal(
      nsenterFailure('web', 42, "nsenter: reassociate to namespace 'ns/user' failed: Invalid argument\n", 1),
      'Could not enter the user namespace of web (PID 42): the kernel refused it (Invalid argument). A process cannot re-enter the user namespace it is already in: leave user unticked.',
    );
  });
  it('a process that is gone, a missing shell, a permission refusal, and anything else with its exit code', () => {
    assert.equal(nsenterFailure('web', 42, 'nsenter: cannot open /proc/42/ns/net: No such file or directory', 1), 'Could not open /proc/42/ns/net of web (PID 42) (No such file or directory): the process has exited.');
    assert.equal(nsenterFailure('web', 42, 'nsenter: failed to execute /bin/bash: No such file or directory', 127), 'Entered the namespaces of web (PID 42), but /bin/bash could not be started there (No such file or directory): that mount namespace has no such shell.');
    assert.match(nsenterFailure('web', 42, "nsenter: reassociate to namespace 'ns/net' failed: Operation not permitted", 1), /\(Operation not permitted\)\. This needs root/);
    assert.equal(nsenterFailure('web', 42, 'nsenter: something new', 3), 'nsenter could not enter the namespaces of web (PID 42): something new (exit code 3).');
    assert.equal(nsenterFailure('web', 42, '', null), 'nsenter could not enter the namespaces of web (PID 42) (exit code none).');
  });
});

describe('namespace picker text follows the selection', () => {
  const rows: NsPickRow[] = NS_TYPES.map((t) => ({ type: t, inode: CONTAINER[t], own: CONTAINER[t] === HOST[t], isolates: '' }));
  it('all eight ticked, then one unticked: no longer "All eight"', () => {
    assert.equal(nsSelectionText(rows, 8), "All 8 are selected; 3 of them are VS Code's own and will be skipped. Untick the ones to keep from this machine");
    const seven = rows.filter((r) => r.type !== 'user');
    assert.equal(nsSelectionText(seven, 8), "7 of 8 selected (cgroup, ipc, mnt, net, pid, time, uts); 2 of them are VS Code's own and will be skipped. Untick the ones to keep from this machine");
    assert.doesNotMatch(nsSelectionText(seven, 8), /All/);
    assert.equal(nsSelectionText(rows.filter((r) => r.type === 'net'), 8), '1 of 8 selected (net). Untick the ones to keep from this machine');
    assert.equal(nsSelectionText(rows.filter((r) => r.type === 'time'), 8), "1 of 8 selected (time); 1 of them is VS Code's own and will be skipped. Untick the ones to keep from this machine");
    assert.match(nsSelectionText([], 8), /^Nothing is selected/);
  });
});
