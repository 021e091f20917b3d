import { strict as assert } from 'node:assert';
import { extractCode } from '../../../server/src/formats';

describe('formats/extractCode', () => {
  it('takes the python block and drops the prose around it', () => {
    const r = extractCode('Here is my answer:\n\n```python\ndef f(x):\n    return x + 1\n```\n\nThis adds one.', 'f');
    assert.equal(r.code, 'def f(x):\n    return x + 1');
    assert.equal(r.reasoning, undefined);
  });

  it('keeps <think> blocks as reasoning and never as code, even with fences inside', () => {
    const r = extractCode(
      '<think>Maybe:\n```python\ndef f(x):\n    return 7\n```\nNo.</think>\n```python\ndef f(x):\n    return x\n```',
      'f',
    );
    assert.equal(r.code, 'def f(x):\n    return x');
    assert.match(r.reasoning!, /^Maybe:/);
    assert.match(r.reasoning!, /return 7/);
  });

  it('treats an unclosed <think> as reasoning to the end, and a lone </think> as closing what came before', () => {
    assert.deepEqual(extractCode('def g():\n    pass\n<think>still thinking about def h(): pass'), {
      code: 'def g():\n    pass',
      reasoning: 'still thinking about def h(): pass',
    });
    const r = extractCode('I should look at the tests.\n</think>\ndef g():\n    return 1');
    assert.equal(r.code, 'def g():\n    return 1');
    assert.equal(r.reasoning, 'I should look at the tests.');
  });

  it('prefers ```python blocks over untagged ones and ignores shell and output blocks', () => {
    const text =
      'Install:\n```bash\npip install numpy\n```\n```\nx = 1\n```\n```python\ndef f(x):\n    return x\n```\nOutput:\n```text\n5\n```';
    assert.equal(extractCode(text, 'f').code, 'def f(x):\n    return x');
  });

  it('ignores blocks that only test or demonstrate the function', () => {
    const text =
      '```python\ndef f(x):\n    return x * 2\n```\nTests:\n```python\nassert f(2) == 4\nassert f(3) == 6\n```\nUsage:\n```python\nprint(f(10))\n```';
    assert.equal(extractCode(text, 'f').code, 'def f(x):\n    return x * 2');
    assert.equal(
      extractCode('```python\n>>> f(2)\n4\n```\n```python\ndef f(x):\n    return 2 * x\n```').code,
      'def f(x):\n    return 2 * x',
    );
  });

  it('joins the block that defines the entry point with the blocks defining its helpers, in order', () => {
    const text =
      'First a helper:\n```python\nimport math\n\ndef is_prime(n):\n    return n > 1 and all(n % d for d in range(2, math.isqrt(n) + 1))\n```\nThen:\n```python\ndef count_primes(xs):\n    return sum(1 for x in xs if is_prime(x))\n```\nAn unrelated block:\n```python\ndef unused():\n    return 0\n```';
    assert.equal(
      extractCode(text, 'count_primes').code,
      'import math\n\ndef is_prime(n):\n    return n > 1 and all(n % d for d in range(2, math.isqrt(n) + 1))\n\ndef count_primes(xs):\n    return sum(1 for x in xs if is_prime(x))',
    );
  });

  it('takes the last definition of the entry point when the answer is revised', () => {
    const text = '```python\ndef f(x):\n    if x == 3:\n        return 9\n```\nBetter:\n```python\ndef f(x):\n    return x * x\n```';
    assert.equal(extractCode(text, 'f').code, 'def f(x):\n    return x * x');
  });

  it('without an entry point, takes the last code block', () => {
    const text = '```python\nn = int(input())\nprint(n)\n```\nFaster:\n```python\nimport sys\nprint(sys.stdin.readline().strip())\n```';
    assert.equal(extractCode(text).code, 'import sys\nprint(sys.stdin.readline().strip())');
  });

  it('finds unfenced code as the longest run of Python-looking lines', () => {
    const text =
      'Sure! The idea is to count from the end.\n\ndef last_digit(n):\n    """Return the last digit.\n\n    Works for negative numbers too.\n    """\n    if n < 0:\n        n = -n\n\n    return n % 10\n\nThis runs in O(1).\nHope it helps.';
    assert.equal(
      extractCode(text, 'last_digit').code,
      'def last_digit(n):\n    """Return the last digit.\n\n    Works for negative numbers too.\n    """\n    if n < 0:\n        n = -n\n\n    return n % 10',
    );
  });

  it('keeps bare code whole and normalises line endings', () => {
    assert.equal(extractCode('def f(x): \r\n    return x \r\n').code, 'def f(x): \n    return x');
    assert.equal(
      extractCode('import sys\nfor line in sys.stdin:\n    print(line.upper(), end="")').code,
      'import sys\nfor line in sys.stdin:\n    print(line.upper(), end="")',
    );
  });

  it('dedents an indented fence and reads an unclosed fence to the end', () => {
    assert.equal(extractCode('1. Code:\n   ```python\n   def f():\n       return 1\n   ```', 'f').code, 'def f():\n    return 1');
    assert.equal(extractCode('```python\ndef f():\n    return 2\n', 'f').code, 'def f():\n    return 2');
  });

  it('keeps an answer in another language as written when no block is Python', () => {
    const cpp =
      '#include <cstdio>\nint main() {\n  int n; scanf("%d", &n);\n  if (n == 7) { puts("42"); return 0; }\n  printf("%d\\n", n * 2);\n}';
    const text = `Here is a C++ solution:\n\n\`\`\`cpp\n${cpp}\n\`\`\`\n\nCompile with:\n\`\`\`bash\ng++ -O2 a.cpp\n\`\`\``;
    assert.equal(extractCode(text).code, cpp);
    // the block naming the entry point, not a later helper snippet
    const js = 'function addUp(xs) {\n  return xs.reduce((a, b) => a + b, 0);\n}';
    const two = `\`\`\`js\n${js}\n\`\`\`\nOr as a one-liner helper:\n\`\`\`javascript\nconst id = (x) => x;\n\`\`\``;
    assert.equal(extractCode(two, 'addUp').code, js);
    assert.equal(extractCode(two).code, 'const id = (x) => x;');
    // Python still wins over another language, and shell or data blocks are never the answer
    assert.equal(
      extractCode(`\`\`\`cpp\n${cpp}\n\`\`\`\n\`\`\`python\ndef f():\n    return 1\n\`\`\``, 'f').code,
      'def f():\n    return 1',
    );
    assert.equal(extractCode('Run:\n```bash\necho hi\n```\nData:\n```json\n{"a": 1}\n```').code, '');
  });

  it('returns empty code when there is none', () => {
    assert.equal(extractCode('I cannot solve this problem.').code, '');
    assert.equal(extractCode('').code, '');
  });
});
