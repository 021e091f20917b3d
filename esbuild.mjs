// Bundles every entry point of the project into dist/. `tsc -b` type-checks; esbuild only bundles.
import * as esbuild from 'esbuild';
import { existsSync, mkdirSync, copyFileSync, cpSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

/** Native or data-carrying packages stay outside the bundle and ship in node_modules. */
const nodeExternals = ['vscode', '@photostructure/sqlite', 'onnxruntime-node'];

const nodeEntries = [
  { in: 'src/extension.ts', out: 'extension' },
  { in: 'server/src/lsp/main.ts', out: 'server' },
  { in: 'server/src/cli/main.ts', out: 'cli' },
].filter((e) => existsSync(e.in));

const builds = [];
if (nodeEntries.length) {
  builds.push({
    entryPoints: nodeEntries,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    outdir: 'dist',
    external: nodeExternals,
    sourcemap: true,
    minify: production,
    logLevel: 'warning',
    // web-tree-sitter's ESM build refers to import.meta.url; in CJS we point it at the bundle itself.
    define: { 'import.meta.url': 'importMetaUrl' },
    banner: { js: "const importMetaUrl = require('url').pathToFileURL(__filename).href;" },
  });
}
/** Each webview is its own small program: one browser bundle per panel. */
const webviewEntries = [
  { in: 'webview/main.ts', out: 'webview' },
  { in: 'webview/curation/main.ts', out: 'curation' },
  { in: 'webview/jobs/main.ts', out: 'jobs' },
].filter((e) => existsSync(e.in));
for (const entry of webviewEntries) {
  builds.push({
    entryPoints: [entry],
    bundle: true,
    platform: 'browser',
    target: 'es2022',
    format: 'iife',
    outdir: 'dist',
    sourcemap: true,
    minify: production,
    logLevel: 'warning',
  });
}

/** The wasm files the tree-sitter parser loads at run time, beside the bundles. */
function copyAssets() {
  mkdirSync('dist', { recursive: true });
  const wasm = [require.resolve('web-tree-sitter/tree-sitter.wasm'), require.resolve('tree-sitter-python/tree-sitter-python.wasm')];
  for (const f of wasm) copyFileSync(f, path.join('dist', path.basename(f)));
  if (existsSync('server/python'))
    cpSync('server/python', 'dist/python', {
      recursive: true,
      filter: (p) => !p.includes('__pycache__') && path.relative('server/python', p).split(path.sep)[0] !== 'tests',
    });
}

copyAssets();
if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
