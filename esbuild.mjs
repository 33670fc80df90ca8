// One small function per bundle target; `--production` minifies, `--watch` rebuilds.
import * as esbuild from 'esbuild';
import { existsSync } from 'node:fs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** dockerode -> ssh2 -> cpu-features / sshcrypto: optional `.node` addons with JS fallbacks. */
const noNativeAddons = {
  name: 'no-native-addons',
  setup(build) {
    build.onResolve({ filter: /\.node$/ }, (args) => ({ path: args.path, namespace: 'no-native' }));
    build.onResolve({ filter: /^cpu-features$/ }, (args) => ({ path: args.path, namespace: 'no-native' }));
    build.onLoad({ filter: /.*/, namespace: 'no-native' }, () => ({
      contents: 'throw new Error("native addon not bundled; JavaScript fallback is used");',
      loader: 'js',
    }));
  },
};

/**
 * dockerode also carries BuildKit (`docker build` sessions over gRPC/protobuf) and SSH transport;
 * VirtLab only reads the Engine API over its unix socket, so those are left out of the bundle
 * (about 1.8 MB that every CLI start and activation would otherwise parse).
 */
const UNUSED = /^(@grpc\/grpc-js|@grpc\/proto-loader|protobufjs|ssh2)$/;
const leaveOutUnused = {
  name: 'leave-out-unused',
  setup(build) {
    build.onResolve({ filter: UNUSED }, (args) => ({ path: args.path, namespace: 'unused' }));
    build.onLoad({ filter: /.*/, namespace: 'unused' }, (args) => ({
      // Loading succeeds (docker-modem reads `require('ssh2').Client` at load); using it throws.
      contents: `const fail = () => { throw new Error(${JSON.stringify(`VirtLab does not bundle ${args.path}: Docker over SSH and image builds are not supported`)}); };
module.exports = new Proxy(fail, { get: (t, k) => (k === '__esModule' ? false : fail) });`,
      loader: 'js',
    }));
  },
};

const common = {
  bundle: true,
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  legalComments: 'none',
};

function nodeTarget(entry, outfile, extra = {}) {
  return { ...common, entryPoints: [entry], outfile, platform: 'node', target: 'node20', format: 'cjs', plugins: [noNativeAddons, leaveOutUnused], ...extra };
}

const extension = () => nodeTarget('src/extension/extension.ts', 'dist/extension.js', { external: ['vscode'] });
const cli = () => nodeTarget('src/cli.ts', 'dist/cli.js', { banner: { js: '#!/usr/bin/env node' } });
const bench = () => nodeTarget('test/bench/bench.ts', 'dist/bench.js');
const benchViews = () => nodeTarget('test/bench/views.ts', 'dist/bench-views.js', { external: ['playwright-core'] });
const benchLabs = () => nodeTarget('test/bench/labs.ts', 'dist/bench-labs.js');
function webviewTarget(entry, outfile) {
  return {
    ...common,
    entryPoints: [entry],
    outfile,
    platform: 'browser',
    target: 'es2022',
    format: 'iife',
    // CSS imported by the entry is emitted beside it (dist/<name>.css: a <link>, no inline styles).
    loader: { '.css': 'css' },
  };
}

const webview = () => webviewTarget('webview/main.ts', 'dist/webview.js');
const guide = () => webviewTarget('webview/guide/main.ts', 'dist/guide.js');
const benchTopology = () => nodeTarget('test/bench/topology.ts', 'dist/bench-topology.js', { external: ['playwright-core'] });

const targets = [extension(), cli(), webview(), guide(), ...(production || !existsSync('test/bench/bench.ts') ? [] : [bench()]), ...(production || !existsSync('test/bench/topology.ts') ? [] : [benchTopology()]), ...(production || !existsSync('test/bench/labs.ts') ? [] : [benchLabs()]), ...(production ? [] : [benchViews()])];

if (watch) {
  for (const t of targets) await (await esbuild.context(t)).watch();
} else {
  await Promise.all(targets.map((t) => esbuild.build(t)));
}
