// Builds the extension-host suite two ways (run with tsx):
//   runner  -> test/extension/runner/dist/extension.js + virtlab-test-runner.vsix (code-server)
//   desktop -> test/extension/runner/dist/suite/{index,*.test}.js (@vscode/test-electron)
// `npx tsx test/extension/build.ts runner [--results FILE]` | `... desktop`
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as esbuild from 'esbuild';

export const REPO = path.resolve(__dirname, '../..');
const SUITE_DIR = path.join(REPO, 'test/extension/suite');
const RUNNER_DIR = path.join(REPO, 'test/extension/runner');
const OUT_DIR = path.join(RUNNER_DIR, 'dist');
export const RUNNER_VSIX = path.join(OUT_DIR, 'virtlab-test-runner.vsix');
export const DEFAULT_RESULTS = path.join(REPO, 'test-results/extension.json');

function testFiles(): string[] {
  return fs.readdirSync(SUITE_DIR).filter((f) => f.endsWith('.test.ts')).sort();
}

/** `virtlab:extension-tests`: one module that require()s each test file, so they bundle in. */
const suiteModules: esbuild.Plugin = {
  name: 'virtlab-extension-tests',
  setup(build) {
    build.onResolve({ filter: /^virtlab:extension-tests$/ }, (args) => ({ path: args.path, namespace: 'virtlab-tests' }));
    build.onLoad({ filter: /.*/, namespace: 'virtlab-tests' }, () => ({
      contents: `export function loadTests() {\n${testFiles().map((f) => `  require(${JSON.stringify(`./${f}`)});`).join('\n')}\n}\n`,
      resolveDir: SUITE_DIR,
      loader: 'js',
    }));
  },
};

const nodeBundle: esbuild.BuildOptions = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  // code-server's extension host is Node 24; a desktop VS Code's Electron is at least Node 20.
  target: 'node20',
  external: ['vscode'],
  sourcemap: 'inline',
  // mocha's parallel mode uses require.resolve on files we never load; its warnings are noise.
  logLevel: 'error',
};

/** Bundles the code-server runner extension with the suite baked in and packages it as a VSIX. */
export async function buildRunner(resultsFile: string = DEFAULT_RESULTS): Promise<string> {
  await esbuild.build({
    ...nodeBundle,
    entryPoints: [path.join(RUNNER_DIR, 'src/extension.ts')],
    outfile: path.join(OUT_DIR, 'extension.js'),
    define: { VIRTLAB_RESULTS_FILE: JSON.stringify(path.resolve(resultsFile)) },
    plugins: [suiteModules],
  });
  try {
    execFileSync(
      path.join(REPO, 'node_modules/.bin/vsce'),
      ['package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '--out', RUNNER_VSIX],
      { cwd: RUNNER_DIR, stdio: 'pipe', encoding: 'utf8', timeout: 120_000 },
    );
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message: string };
    throw new Error(`vsce could not package the test runner: ${err.message}\n${err.stdout ?? ''}${err.stderr ?? ''}`);
  }
  return RUNNER_VSIX;
}

/** Bundles index.ts and each test file separately, the layout `run()` in index.ts expects. */
export async function buildDesktopSuite(): Promise<string> {
  const outdir = path.join(OUT_DIR, 'suite');
  fs.rmSync(outdir, { recursive: true, force: true });
  await esbuild.build({
    ...nodeBundle,
    entryPoints: ['index.ts', ...testFiles()].map((f) => path.join(SUITE_DIR, f)),
    outdir,
    outbase: SUITE_DIR,
  });
  return path.join(outdir, 'index.js');
}

if (require.main === module) {
  const [what, ...rest] = process.argv.slice(2);
  const resultsAt = rest.indexOf('--results');
  const build = what === 'runner' ? buildRunner(resultsAt >= 0 ? rest[resultsAt + 1] : undefined) : what === 'desktop' ? buildDesktopSuite() : undefined;
  if (!build) {
    console.error('usage: tsx test/extension/build.ts runner [--results FILE] | desktop');
    process.exit(2);
  }
  build.then((out) => console.log(out)).catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
