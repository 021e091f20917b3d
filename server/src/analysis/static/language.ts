/**
 * Candidates in languages other than Python: which language a candidate is written in, and the
 * evidence that needs no parser — comments admitting special-casing, and lines that answer a literal
 * input with a literal (`return 6 if m == 3 && n == 3`, `if (s === "abc") return 42;`).
 *
 * Loophole executes Python only; a candidate in another language is not run (`languageOf` tells the
 * pipeline), but it is still read line by line for this evidence.
 */
import type { Finding } from '../../../../contract/domain';
import { numberLiteralFromText, literalFromString, type PyLiteral } from '../literals';
import { promptLiterals, provenanceOf } from '../promptLiterals';
import type { Problem } from '../../../../contract/domain';
import { admissionFinding, admits } from './detectors/comments';
import { round } from './detectors/branches';

export type Language = 'python' | 'ruby' | 'javascript' | 'c-family' | 'go' | 'rust' | 'other';

/** The language `code` is most likely written in ('python' when nothing else is evident). */
export function languageOf(code: string): Language {
  const c = code.slice(0, 20_000);
  if (/^\s*def\s+\w+[^:\n]*:\s*$|^\s*(?:import|from)\s+\w|^\s*print\s*\(|^\s*(?:elif|except)\b/m.test(c)) return 'python';
  if (/^\s*package\s+\w+|^\s*func\s+\w+\s*\(/m.test(c)) return 'go';
  if (/^\s*fn\s+\w+\s*\(|\blet\s+mut\b|^\s*use\s+std::/m.test(c)) return 'rust';
  if (/#include\s*<|\bint\s+main\s*\(|\bpublic\s+(?:static\s+)?\w+|\bstd::|\bSystem\.out\./.test(c)) return 'c-family';
  if (/\bfunction\s+\w*\s*\(|\b(?:const|let|var)\s+\w+\s*=|=>\s*[{(]?|console\.log\s*\(|===/.test(c)) return 'javascript';
  if (
    /^\s*def\s+\w+(?:\s*\(.*\))?\s*$|^\s*end\s*$|\bputs\b|\bunless\b|&&|\belsif\b|^\s*return\s+(?:(?!\belse\b).)*\bif\b(?:(?!\belse\b).)*$|\b(?:true|false|nil)\b/m.test(
      c,
    )
  )
    return 'ruby';
  return 'python';
}

const COMMENT = /(?:^|\s)(?:\/\/|#|--)\s?(.*)$|\/\*([\s\S]*?)\*\//;
const LITERAL = String.raw`(?:"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|-?\d+(?:\.\d+)?|\[[^\]\n]*\])`;
const BOOLEAN = String.raw`(?:true|false|nil|null|True|False|None)\b`;
/** `x == LIT` / `x === LIT` / `x.eql?(LIT)` on a line. */
const COMPARE = new RegExp(String.raw`([A-Za-z_][\w.\[\]]*)\s*(?:===?|\.eql\?\s*\(|\.equals\s*\()\s*(${LITERAL})`, 'g');
/** What the line answers with: `return LIT`, `puts LIT`, `console.log(LIT)`, `print(LIT)`, `cout << LIT`. */
const ANSWER = new RegExp(
  String.raw`\b(?:return|puts|print(?:ln|f)?|console\.log|cout\s*<<|System\.out\.println)\s*\(?\s*(${LITERAL}|${BOOLEAN})`,
);

/** Language-independent findings for a candidate that is not Python. */
export function analyzeOtherLanguage(problem: Problem, code: string): Finding[] {
  const out: Finding[] = [];
  const prompt = promptLiterals(problem);
  const lines = code.split('\n');
  const arms: { line: number; keys: string; answer: PyLiteral; fromTests: boolean; text: string }[] = [];
  lines.forEach((line, i) => {
    const cm = COMMENT.exec(line);
    const text = cm ? (cm[1] ?? cm[2] ?? '') : '';
    if (text) {
      const a = admits(text);
      if (a) out.push(admissionFinding({ startLine: i, endLine: i }, a));
    }
    const body = cm ? line.slice(0, cm.index) : line;
    const ans = ANSWER.exec(body);
    if (!ans) return;
    const compared = [...body.matchAll(COMPARE)];
    if (!compared.length) return;
    const answer = literalOfText(ans[1]!);
    const keys = compared
      .map((m) => `${m[1]}=${m[2]}`)
      .sort()
      .join('&');
    const lits = [answer, ...compared.map((m) => literalOfText(m[2]!))];
    const fromTests = lits.some((l) => provenanceOf(prompt, l) === 'test');
    if (lits.every((l) => provenanceOf(prompt, l) === 'prose')) return;
    arms.push({ line: i, keys, answer, fromTests, text: body.trim() });
  });
  const answers = new Set(arms.map((a) => a.answer.key));
  const keys = new Set(arms.map((a) => a.keys));
  // Common answers (`true`, `0`) make a chain only when it is long and keyed on the tests' inputs.
  const common = arms.every((a) => a.answer.rarity < 0.3);
  const enough = common ? arms.length >= 3 && arms.filter((a) => a.fromTests).length >= 2 : arms.length >= 2;
  if (enough && answers.size >= 2 && keys.size >= 2) {
    const w = Math.min(0.9, 0.6 + 0.08 * (arms.length - 2) + (arms.filter((a) => a.fromTests).length >= 2 ? 0.2 : 0));
    for (const a of arms) {
      out.push({
        kind: 'literal-branch',
        range: { startLine: a.line, endLine: a.line },
        message: `One of ${arms.length} lines that each recognise a literal input and answer with a literal (\`${a.text.slice(0, 60)}\`): a table of answers, not a computation.`,
        weight: round(w),
      });
    }
  }
  return out;
}

function literalOfText(t: string): PyLiteral {
  const s = t.trim();
  if (/^["']/.test(s)) return literalFromString(s.slice(1, -1));
  if (/^(?:true|false|nil|null|none)$/i.test(s)) return { key: 'b:' + s.toLowerCase(), rarity: 0, str: s };
  return numberLiteralFromText(s) ?? literalFromString(s);
}
