// Entry point for fault tests: the real `virtlab lab` command, run from source in a child process
// that the test can kill -9 (`node --import tsx test/integration/lab/labCli.ts up FILE ...`).
import { runLab } from '../../../src/cliLab';

runLab(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`${(e as Error).stack ?? e}\n`);
    process.exitCode = 1;
  },
);
