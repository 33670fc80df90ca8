/** Loading the Docker API answers recorded from this machine's daemon (test/fixtures/docker). */
import { readFileSync } from 'node:fs';
import path from 'node:path';

export const FIX = path.join(__dirname, '../../fixtures/docker');

export function loadJson(name: string): unknown {
  return JSON.parse(readFileSync(path.join(FIX, name), 'utf8'));
}

/** The raw inspect answer of one recorded container (web, side, hostpid, created, exited). */
export function rawContainer(name: string): Record<string, any> {
  return loadJson(`container-${name}.json`) as Record<string, any>;
}
