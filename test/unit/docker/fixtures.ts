/** Loading the Docker API answers recorded from this machine's daemon (test/fixtures/docker). */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { scanOptions } from '../../../src/core/context';

export const FIX = path.join(__dirname, '../../fixtures/docker');

export function loadJson(name: string): unknown {
  return JSON.parse(readFileSync(path.join(FIX, name), 'utf8'));
}

/** The raw inspect answer of one recorded container (web, side, hostpid, created, exited). */
export function rawContainer(name: string): Record<string, any> {
  return loadJson(`container-${name}.json`) as Record<string, any>;
}

/** The recorded containers, by the names their fixture files carry. */
export const NAMES = ['web', 'side', 'hostpid', 'created', 'exited'];

const TREE = path.join(FIX, 'tree');

/** Scan options reading the recorded /proc, cgroup and /run tree that goes with the answers. */
export const recordedOpts = scanOptions({
  roots: { proc: `${TREE}/proc`, cgroup: `${TREE}/cgroup`, run: `${TREE}/run`, rootfs: `${TREE}/rootfs`, sys: `${TREE}/sys` },
  dockerSocket: '/recorded/docker.sock',
  timeoutMs: 1000,
});
