// Entry point for the fault tests: the real `virtlab lab` command, run from source in a child
// process that a test can kill -9 (`node --import tsx test/support/labCli.ts up FILE ...`).
// VIRTLAB_TEST_KILL_AT=STAGE makes `up` SIGKILL itself right after that stage (an UpStep: ledger,
// containers, root, hosts, switches), through the engine's onStep observer; the product itself
// has no such switch.
import { runLab } from '../../src/cliLab';

const killAt = process.env.VIRTLAB_TEST_KILL_AT;
runLab(process.argv.slice(2), { onStep: (s) => void (s === killAt && process.kill(process.pid, 'SIGKILL')) }).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`${(e as Error).stack ?? e}\n`);
    process.exitCode = 1;
  },
);
