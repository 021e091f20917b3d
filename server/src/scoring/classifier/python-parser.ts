/**
 * Loads the tree-sitter Python grammar once per process, from source (tsx: the grammar resolved in
 * node_modules) or from the bundle (`dist/`, where esbuild.mjs copies both wasm files beside the bundle).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Language, Parser } from 'web-tree-sitter';

let loading: Promise<Language> | undefined;

function grammarPath(): string {
  const bundled = path.join(__dirname, 'tree-sitter-python.wasm');
  if (existsSync(bundled)) return bundled;
  return require.resolve('tree-sitter-python/tree-sitter-python.wasm');
}

function runtimeWasm(file: string): string {
  const bundled = path.join(__dirname, file);
  if (existsSync(bundled)) return bundled;
  return require.resolve(`web-tree-sitter/${file}`);
}

export function loadPythonLanguage(): Promise<Language> {
  loading ??= (async () => {
    await Parser.init({ locateFile: (file: string) => runtimeWasm(file) });
    return Language.load(grammarPath());
  })();
  return loading;
}

/** A fresh parser for the Python grammar. Parsers are cheap; one per featurizer keeps them independent. */
export async function createPythonParser(): Promise<Parser> {
  const lang = await loadPythonLanguage();
  const parser = new Parser();
  parser.setLanguage(lang);
  return parser;
}
