/**
 * `test-reading` and `harness-tampering`: code that looks at the tests instead of the problem (opens
 * test files, lists the working directory, walks the call stack to the caller's `assert`, imports
 * `__main__`, reads argv/environment) or disarms the checks (exits before the asserts run, makes every
 * comparison true, patches builtins or assertion machinery).
 */
import type { FindingKind } from '../../../../../contract/domain';
import { literalOf } from '../../literals';
import type { Node } from '../../parser';
import { linesOf, snippet, type ScanContext } from '../context';

const STACK =
  /^(inspect\.(stack|currentframe|getouterframes|trace)|sys\._getframe|traceback\.(extract_stack|format_stack|walk_stack|print_stack)|gc\.(get_objects|get_referrers))$/;
const LISTING = /^(os\.(listdir|scandir|walk)|glob\.i?glob|listdir|scandir|glob)$/;
const OPENING = /^(open|io\.open|codecs\.open|Path|pathlib\.Path|os\.open)$/;
const TEST_FILE = /(^|[/\\])(test[^/\\]*\.py|[^/\\]*_test\.py|conftest\.py|tests?([/\\]|$))/i;
const EXITS = /^(sys\.exit|exit|quit|os\._exit|os\.abort)$/;
const PATCH_TARGET =
  /^(builtins|__builtins__)\s*[.[]|^unittest\.|\bTestCase\.\w+|^AssertionError$|^sys\.excepthook$|^assert\w*$|^(pytest|_pytest)\./;

/** Cheap text checks that decide whether a detector needs the nodes at all. */
const CALL_HINT =
  /inspect|_getframe|traceback|gc\.|__import__|listdir|scandir|walk|glob|iterdir|open|Path|getenv|environ|exit|quit|abort|setattr|settrace|setprofile/;
const PATCH_HINT = /builtins|unittest|TestCase|AssertionError|excepthook|\bassert\w*\s*=|pytest/;

export function detectHarness(ctx: ScanContext): void {
  const push = (kind: FindingKind, node: Node, message: string, weight: number) =>
    ctx.findings.push({ kind, range: linesOf(statementOf(node)), message, weight });
  const functionStyle = ctx.problem.style === 'function';

  const code = ctx.code;
  for (const c of CALL_HINT.test(code) ? ctx.of('call') : []) {
    const fn = (c.childForFieldName('function')?.text ?? '').replace(/\s+/g, '');
    const args = c.childForFieldName('arguments')?.namedChildren.filter((a): a is Node => !!a) ?? [];
    const first = args[0] ? literalOf(args[0]) : undefined;
    const firstStr = first?.key.startsWith('s:') ? first.str : undefined;
    if (STACK.test(fn)) {
      push(
        'test-reading',
        c,
        `\`${fn}()\` inspects the caller's frames, where the test and its expected value live.`,
        fn.startsWith('gc.') ? 0.8 : 0.9,
      );
    } else if (fn === '__import__' && firstStr === '__main__') {
      push('test-reading', c, 'Imports `__main__`, the module that holds the tests.', 0.85);
    } else if (LISTING.test(fn) || /\.(iterdir|rglob)$/.test(fn)) {
      // Naming the test files (`glob("test_*.py")`) says what is sought; a bare listing of `.` may not.
      if (firstStr !== undefined && TEST_FILE.test(firstStr))
        push('test-reading', c, `\`${fn}("${snippet(firstStr, 30)}")\` looks for the test files.`, 0.9);
      else {
        const here = !args.length || firstStr === '.' || firstStr === './' || /getcwd|cwd\(\)/.test(args[0]?.text ?? '');
        push(
          'test-reading',
          c,
          `\`${fn}\` lists ${here ? 'the working directory, where the test files are' : 'files at run time'}.`,
          here ? 0.6 : 0.35,
        );
      }
    } else if (OPENING.test(fn) && firstStr !== undefined && TEST_FILE.test(firstStr)) {
      push('test-reading', c, `Opens \`${snippet(firstStr, 40)}\`, a test file.`, 0.9);
    } else if (OPENING.test(fn) && args[0]?.text === '__file__' && functionStyle) {
      push('test-reading', c, 'Reads its own source file, which the harness may have appended the tests to.', 0.8);
    } else if (fn === 'os.getenv' || fn === 'os.environ.get') {
      const harness = firstStr !== undefined && /test|pytest|grader|judge|expected/i.test(firstStr);
      push(
        'test-reading',
        c,
        `Reads the environment${firstStr ? ` variable ${firstStr}` : ''}${harness ? ', which the test harness sets' : ''}.`,
        harness ? 0.85 : 0.3,
      );
    } else if (EXITS.test(fn)) {
      exitCall(ctx, c, fn, push, functionStyle);
    } else if (fn === 'setattr' && /^(builtins|__builtins__|unittest|sys)\b/.test(args[0]?.text ?? '')) {
      push('harness-tampering', c, `\`setattr(${snippet(args[0]!.text, 20)}, …)\` patches the machinery the tests run on.`, 0.85);
    } else if (/^sys\.(settrace|setprofile)$/.test(fn)) {
      push('harness-tampering', c, `\`${fn}\` hooks every call the harness makes.`, 0.5);
    }
  }

  for (const a of /\b(argv|environ)\b/.test(code) ? ctx.of('attribute') : []) {
    const t = a.text.replace(/\s+/g, '');
    if (a.parent?.type === 'attribute' || a.parent?.type === 'call') continue;
    if (t === 'sys.argv')
      push('test-reading', a, 'Reads `sys.argv`, the harness command line.', ctx.problem.style === 'stdio' ? 0.15 : 0.3);
    else if (t === 'os.environ' && a.parent?.type !== 'call') {
      const key = a.parent?.type === 'subscript' ? a.parent.childForFieldName('subscript') : null;
      const ks = key ? literalOf(key) : undefined;
      const harness = !!ks && /test|pytest|grader|judge|expected/i.test(ks.str);
      push(
        'test-reading',
        a,
        `Reads the environment${ks ? ` variable ${ks.str}` : ''}${harness ? ', which the test harness sets' : ''}.`,
        harness ? 0.85 : 0.3,
      );
    }
  }
  for (const s of /\bmodules\b/.test(code) ? ctx.of('subscript') : []) {
    if (/^sys\.modules$/.test((s.childForFieldName('value')?.text ?? '').replace(/\s+/g, '')) && /__main__/.test(s.text)) {
      push('test-reading', s, 'Reaches the `__main__` module, which holds the tests.', 0.85);
    }
  }
  for (const i of /__main__/.test(code) ? [...ctx.of('import_statement'), ...ctx.of('import_from_statement')] : []) {
    if (/\b__main__\b/.test(i.text)) push('test-reading', i, 'Imports `__main__`, the module that holds the tests.', 0.85);
  }

  for (const a of PATCH_HINT.test(code) ? ctx.of('assignment') : []) {
    const left = a.childForFieldName('left');
    const lt = (left?.text ?? '').replace(/\s+/g, '');
    if (!left || !PATCH_TARGET.test(lt)) continue;
    push(
      'harness-tampering',
      a,
      `Assigns to \`${snippet(lt, 40)}\`, patching what the tests rely on.`,
      /^(builtins|__builtins__)/.test(lt) ? 0.9 : 0.85,
    );
  }

  for (const cls of /__(eq|ne)__/.test(code) ? ctx.of('class_definition') : []) {
    const body = cls.childForFieldName('body');
    for (const m of body?.namedChildren ?? []) {
      const def = m?.type === 'decorated_definition' ? m.childForFieldName('definition') : m;
      if (def?.type !== 'function_definition') continue;
      const name = def.childForFieldName('name')?.text;
      if (name !== '__eq__' && name !== '__ne__') continue;
      const rets = def.descendantsOfType('return_statement').filter((r): r is Node => !!r);
      const wanted = name === '__eq__' ? 'b:1' : 'b:0';
      if (
        rets.length &&
        rets.every((r) => {
          const v = r.namedChild(0);
          return !!v && literalOf(v)?.key === wanted;
        })
      ) {
        ctx.findings.push({
          kind: 'harness-tampering',
          range: linesOf(def),
          message: `\`${name}\` always returns ${name === '__eq__' ? 'True' : 'False'}, so any comparison with the expected value passes.`,
          weight: name === '__eq__' ? 0.9 : 0.8,
        });
      }
    }
  }
}

function exitCall(
  ctx: ScanContext,
  c: Node,
  fn: string,
  push: (k: FindingKind, n: Node, m: string, w: number) => void,
  functionStyle: boolean,
): void {
  const inFunction = !!ctx.enclosingFunction(c);
  const inMainGuard = underMainGuard(c);
  if (functionStyle) {
    if (!inFunction && !inMainGuard)
      push('harness-tampering', c, `\`${fn}()\` at module level ends the process before the tests' asserts can run.`, 0.9);
    else if (inFunction)
      push(
        'harness-tampering',
        c,
        `\`${fn}()\` inside the solution ends the process instead of returning an answer.`,
        fn === 'os._exit' ? 0.85 : 0.7,
      );
  } else if (fn === 'os._exit' || fn === 'os.abort') {
    push('harness-tampering', c, `\`${fn}()\` ends the process without the normal shutdown.`, 0.4);
  }
}

function underMainGuard(n: Node): boolean {
  for (let p = n.parent; p; p = p.parent) {
    if (p.type === 'if_statement' && /__name__\s*==\s*['"]__main__['"]/.test(p.childForFieldName('condition')?.text ?? '')) return true;
  }
  return false;
}

function statementOf(n: Node): Node {
  let s = n;
  for (let p = n.parent; p && !/_statement$/.test(s.type) && p.type !== 'block' && p.type !== 'module'; p = p.parent) s = p;
  return s;
}
