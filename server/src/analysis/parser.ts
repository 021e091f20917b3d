/**
 * Loads web-tree-sitter and the Python grammar once per process.
 *
 * The wasm files are found beside the running file when bundled (esbuild copies `tree-sitter.wasm` and
 * `tree-sitter-python.wasm` into `dist/`), and through `require.resolve` when running from source.
 * Every caller shares one `Language`; each caller makes its own `Parser` (a parser is not re-entrant,
 * but is cheap) and must `delete()` every tree it parses.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Language, Parser } from 'web-tree-sitter';

export type { Language, Node, Parser, Tree } from 'web-tree-sitter';

let loading: Promise<Language> | undefined;
let loaded: Language | undefined;

function locate(file: string, pkgPath: string): string {
  const beside = path.join(__dirname, file);
  if (existsSync(beside)) return beside;
  return require.resolve(pkgPath);
}

/** The Python grammar; the first call initialises the tree-sitter runtime. */
export function loadPython(): Promise<Language> {
  loading ??= (async () => {
    const runtime = locate('tree-sitter.wasm', 'web-tree-sitter/tree-sitter.wasm');
    await Parser.init({ locateFile: () => runtime });
    loaded = await Language.load(locate('tree-sitter-python.wasm', 'tree-sitter-python/tree-sitter-python.wasm'));
    return loaded;
  })();
  loading.catch(() => {
    loading = undefined;
  });
  return loading;
}

/** A new parser for Python. Resolves after `loadPython()`. */
export async function createPythonParser(): Promise<Parser> {
  const language = await loadPython();
  const parser = new Parser();
  parser.setLanguage(language);
  return parser;
}

/** A parser when the grammar is already loaded (synchronous callers), else undefined. */
export function pythonParserIfLoaded(): Parser | undefined {
  if (!loaded) return undefined;
  const parser = new Parser();
  parser.setLanguage(loaded);
  return parser;
}
