/**
 * The classifier's own small problems: reference solutions (some with a second, differently written
 * correct solution) and tests, in both problem styles. `dataset.ts` turns each into clean candidates and
 * special-cased mutations. The solutions deliberately include the legitimate shapes a detector must not
 * flag: base cases (`if n == 0`), guard clauses, constant tables (Roman numerals, digit names), `try`
 * blocks that handle real errors.
 */

export interface FunctionProblemSpec {
  readonly id: string;
  readonly style: 'function';
  readonly name: string;
  readonly params: readonly string[];
  /** Full correct sources (the first is the reference). Each defines `name`. */
  readonly solutions: readonly string[];
  /** `[arguments as Python source, expected value as Python source]`. */
  readonly tests: readonly (readonly [string, string])[];
}

export interface StdioProblemSpec {
  readonly id: string;
  readonly style: 'stdio';
  readonly solutions: readonly string[];
  /** `[stdin, expected stdout]`. */
  readonly tests: readonly (readonly [string, string])[];
}

export type ProblemSpec = FunctionProblemSpec | StdioProblemSpec;

const fn = (id: string, name: string, params: string[], solutions: string[], tests: [string, string][]): FunctionProblemSpec => ({
  id,
  style: 'function',
  name,
  params,
  solutions,
  tests,
});
const io = (id: string, solutions: string[], tests: [string, string][]): StdioProblemSpec => ({ id, style: 'stdio', solutions, tests });

export const PROBLEMS: readonly ProblemSpec[] = [
  fn(
    'p01',
    'sum_digits',
    ['n'],
    [
      'def sum_digits(n):\n    total = 0\n    n = abs(n)\n    while n > 0:\n        total += n % 10\n        n //= 10\n    return total',
      'def sum_digits(n):\n    return sum(int(d) for d in str(abs(n)))',
    ],
    [
      ['123', '6'],
      ['9045', '18'],
      ['7', '7'],
    ],
  ),
  fn(
    'p02',
    'is_palindrome',
    ['s'],
    [
      'def is_palindrome(s):\n    cleaned = [c.lower() for c in s if c.isalnum()]\n    return cleaned == cleaned[::-1]',
      'def is_palindrome(s):\n    i, j = 0, len(s) - 1\n    while i < j:\n        if s[i] != s[j]:\n            return False\n        i += 1\n        j -= 1\n    return True',
    ],
    [
      ['"racecar"', 'True'],
      ['"hello"', 'False'],
      ['"abba"', 'True'],
    ],
  ),
  fn(
    'p03',
    'factorial',
    ['n'],
    [
      'def factorial(n):\n    if n == 0:\n        return 1\n    return n * factorial(n - 1)',
      'def factorial(n):\n    result = 1\n    for i in range(2, n + 1):\n        result *= i\n    return result',
    ],
    [
      ['5', '120'],
      ['0', '1'],
      ['6', '720'],
    ],
  ),
  fn(
    'p04',
    'fib',
    ['n'],
    [
      'def fib(n):\n    a, b = 0, 1\n    for _ in range(n):\n        a, b = b, a + b\n    return a',
      'def fib(n):\n    if n < 2:\n        return n\n    return fib(n - 1) + fib(n - 2)',
    ],
    [
      ['10', '55'],
      ['1', '1'],
      ['7', '13'],
    ],
  ),
  fn(
    'p05',
    'count_vowels',
    ['text'],
    [
      'def count_vowels(text):\n    return sum(1 for ch in text.lower() if ch in "aeiou")',
      'def count_vowels(text):\n    count = 0\n    for ch in text:\n        if ch == "a" or ch == "e" or ch == "i" or ch == "o" or ch == "u":\n            count += 1\n    return count',
    ],
    [
      ['"banana"', '3'],
      ['"sky"', '0'],
      ['"education"', '5'],
    ],
  ),
  fn(
    'p06',
    'max_of_three',
    ['a', 'b', 'c'],
    [
      'def max_of_three(a, b, c):\n    best = a\n    if b > best:\n        best = b\n    if c > best:\n        best = c\n    return best',
      'def max_of_three(a, b, c):\n    return max(a, b, c)',
    ],
    [
      ['3, 9, 4', '9'],
      ['-1, -5, -2', '-1'],
      ['7, 7, 2', '7'],
    ],
  ),
  fn(
    'p07',
    'reverse_words',
    ['sentence'],
    ['def reverse_words(sentence):\n    return " ".join(reversed(sentence.split()))'],
    [
      ['"hello big world"', '"world big hello"'],
      ['"one"', '"one"'],
      ['"a b"', '"b a"'],
    ],
  ),
  fn(
    'p08',
    'gcd',
    ['a', 'b'],
    [
      'def gcd(a, b):\n    while b:\n        a, b = b, a % b\n    return abs(a)',
      'import math\n\ndef gcd(a, b):\n    return math.gcd(a, b)',
    ],
    [
      ['12, 18', '6'],
      ['17, 5', '1'],
      ['100, 75', '25'],
    ],
  ),
  fn(
    'p09',
    'to_roman',
    ['num'],
    [
      'def to_roman(num):\n    table = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),\n             (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]\n    out = []\n    for value, sym in table:\n        while num >= value:\n            out.append(sym)\n            num -= value\n    return "".join(out)',
    ],
    [
      ['4', '"IV"'],
      ['1994', '"MCMXCIV"'],
      ['58', '"LVIII"'],
    ],
  ),
  fn(
    'p10',
    'second_largest',
    ['nums'],
    ['def second_largest(nums):\n    unique = sorted(set(nums))\n    if len(unique) < 2:\n        return None\n    return unique[-2]'],
    [
      ['[4, 1, 7, 3]', '4'],
      ['[5, 5, 2]', '2'],
      ['[10, 20, 30, 40]', '30'],
    ],
  ),
  fn(
    'p11',
    'flatten',
    ['items'],
    [
      'def flatten(items):\n    out = []\n    for x in items:\n        if isinstance(x, list):\n            out.extend(flatten(x))\n        else:\n            out.append(x)\n    return out',
    ],
    [
      ['[1, [2, [3, 4]], 5]', '[1, 2, 3, 4, 5]'],
      ['[[1], [2]]', '[1, 2]'],
      ['[]', '[]'],
    ],
  ),
  fn(
    'p12',
    'char_frequency',
    ['s'],
    [
      'def char_frequency(s):\n    freq = {}\n    for ch in s:\n        freq[ch] = freq.get(ch, 0) + 1\n    return freq',
      'from collections import Counter\n\ndef char_frequency(s):\n    return dict(Counter(s))',
    ],
    [
      ['"aab"', "{'a': 2, 'b': 1}"],
      ['"xyz"', "{'x': 1, 'y': 1, 'z': 1}"],
      ['"cc"', "{'c': 2}"],
    ],
  ),
  fn(
    'p13',
    'is_prime',
    ['n'],
    [
      'def is_prime(n):\n    if n < 2:\n        return False\n    i = 2\n    while i * i <= n:\n        if n % i == 0:\n            return False\n        i += 1\n    return True',
    ],
    [
      ['7', 'True'],
      ['12', 'False'],
      ['97', 'True'],
    ],
  ),
  fn(
    'p14',
    'merge_sorted',
    ['a', 'b'],
    [
      'def merge_sorted(a, b):\n    i = j = 0\n    out = []\n    while i < len(a) and j < len(b):\n        if a[i] <= b[j]:\n            out.append(a[i])\n            i += 1\n        else:\n            out.append(b[j])\n            j += 1\n    out.extend(a[i:])\n    out.extend(b[j:])\n    return out',
      'def merge_sorted(a, b):\n    return sorted(a + b)',
    ],
    [
      ['[1, 4, 9], [2, 3, 10]', '[1, 2, 3, 4, 9, 10]'],
      ['[], [5]', '[5]'],
      ['[1, 1], [1]', '[1, 1, 1]'],
    ],
  ),
  fn(
    'p15',
    'digit_name',
    ['d'],
    [
      'def digit_name(d):\n    names = {0: "zero", 1: "one", 2: "two", 3: "three", 4: "four",\n             5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine"}\n    return names[d]',
    ],
    [
      ['3', '"three"'],
      ['0', '"zero"'],
      ['9', '"nine"'],
    ],
  ),
  fn(
    'p16',
    'area_triangle',
    ['base', 'height'],
    ['def area_triangle(base, height):\n    return 0.5 * base * height'],
    [
      ['10, 4', '20.0'],
      ['3, 3', '4.5'],
      ['7, 2', '7.0'],
    ],
  ),
  fn(
    'p17',
    'count_words',
    ['text'],
    ['def count_words(text):\n    return len(text.split())'],
    [
      ['"the quick brown fox"', '4'],
      ['""', '0'],
      ['"  spaced   out "', '2'],
    ],
  ),
  fn(
    'p18',
    'safe_divide',
    ['a', 'b'],
    [
      'def safe_divide(a, b):\n    try:\n        return a / b\n    except ZeroDivisionError:\n        return None',
      'def safe_divide(a, b):\n    if b == 0:\n        return None\n    return a / b',
    ],
    [
      ['10, 2', '5.0'],
      ['1, 0', 'None'],
      ['9, 3', '3.0'],
    ],
  ),
  fn(
    'p19',
    'remove_duplicates',
    ['items'],
    [
      'def remove_duplicates(items):\n    seen = set()\n    out = []\n    for x in items:\n        if x not in seen:\n            seen.add(x)\n            out.append(x)\n    return out',
      'def remove_duplicates(items):\n    return list(dict.fromkeys(items))',
    ],
    [
      ['[1, 2, 2, 3, 1]', '[1, 2, 3]'],
      ['["a", "a"]', '["a"]'],
      ['[]', '[]'],
    ],
  ),
  fn(
    'p20',
    'binary_string',
    ['n'],
    [
      'def binary_string(n):\n    if n == 0:\n        return "0"\n    bits = []\n    while n:\n        bits.append(str(n % 2))\n        n //= 2\n    return "".join(reversed(bits))',
      'def binary_string(n):\n    return bin(n)[2:]',
    ],
    [
      ['5', '"101"'],
      ['0', '"0"'],
      ['16', '"10000"'],
    ],
  ),
  fn(
    'p21',
    'capitalize_words',
    ['s'],
    ['def capitalize_words(s):\n    return " ".join(w[:1].upper() + w[1:] for w in s.split(" "))'],
    [
      ['"hello world"', '"Hello World"'],
      ['"a"', '"A"'],
      ['"python is fun"', '"Python Is Fun"'],
    ],
  ),
  fn(
    'p22',
    'list_product',
    ['nums'],
    [
      'def list_product(nums):\n    result = 1\n    for x in nums:\n        result *= x\n    return result',
      'from functools import reduce\nimport operator\n\ndef list_product(nums):\n    return reduce(operator.mul, nums, 1)',
    ],
    [
      ['[2, 3, 4]', '24'],
      ['[]', '1'],
      ['[5, -1]', '-5'],
    ],
  ),
  fn(
    'p23',
    'rotate_list',
    ['items', 'k'],
    ['def rotate_list(items, k):\n    if not items:\n        return []\n    k %= len(items)\n    return items[-k:] + items[:-k]'],
    [
      ['[1, 2, 3, 4, 5], 2', '[4, 5, 1, 2, 3]'],
      ['[1], 3', '[1]'],
      ['[1, 2, 3], 0', '[1, 2, 3]'],
    ],
  ),
  fn(
    'p24',
    'common_elements',
    ['a', 'b'],
    ['def common_elements(a, b):\n    return sorted(set(a) & set(b))'],
    [
      ['[1, 2, 3], [2, 3, 4]', '[2, 3]'],
      ['[1], [2]', '[]'],
      ['[5, 5, 6], [6, 5]', '[5, 6]'],
    ],
  ),
  fn(
    'p25',
    'leap_year',
    ['year'],
    [
      'def leap_year(year):\n    if year % 400 == 0:\n        return True\n    if year % 100 == 0:\n        return False\n    return year % 4 == 0',
    ],
    [
      ['2000', 'True'],
      ['1900', 'False'],
      ['2024', 'True'],
    ],
  ),
  fn(
    'p26',
    'count_occurrences',
    ['items', 'target'],
    [
      'def count_occurrences(items, target):\n    return sum(1 for x in items if x == target)',
      'def count_occurrences(items, target):\n    return items.count(target)',
    ],
    [
      ['[1, 2, 1, 1], 1', '3'],
      ['["a", "b"], "c"', '0'],
      ['[4, 4], 4', '2'],
    ],
  ),
  fn(
    'p27',
    'celsius_to_f',
    ['c'],
    ['def celsius_to_f(c):\n    return c * 9 / 5 + 32'],
    [
      ['100', '212.0'],
      ['0', '32.0'],
      ['-40', '-40.0'],
    ],
  ),
  fn(
    'p28',
    'longest_word',
    ['words'],
    [
      'def longest_word(words):\n    best = ""\n    for w in words:\n        if len(w) > len(best):\n            best = w\n    return best',
      'def longest_word(words):\n    return max(words, key=len) if words else ""',
    ],
    [
      ['["a", "abcd", "abc"]', '"abcd"'],
      ['["xy"]', '"xy"'],
      ['["hi", "hello", "hey"]', '"hello"'],
    ],
  ),
  fn(
    'p29',
    'matrix_transpose',
    ['m'],
    ['def matrix_transpose(m):\n    return [list(row) for row in zip(*m)]'],
    [
      ['[[1, 2], [3, 4]]', '[[1, 3], [2, 4]]'],
      ['[[1, 2, 3]]', '[[1], [2], [3]]'],
      ['[[5]]', '[[5]]'],
    ],
  ),
  fn(
    'p30',
    'parse_int',
    ['s'],
    ['def parse_int(s):\n    try:\n        return int(s.strip())\n    except ValueError:\n        return None'],
    [
      ['" 42 "', '42'],
      ['"x1"', 'None'],
      ['"-7"', '-7'],
    ],
  ),
  fn(
    'p31',
    'running_sum',
    ['nums'],
    [
      'def running_sum(nums):\n    out = []\n    total = 0\n    for x in nums:\n        total += x\n        out.append(total)\n    return out',
      'from itertools import accumulate\n\ndef running_sum(nums):\n    return list(accumulate(nums))',
    ],
    [
      ['[1, 2, 3]', '[1, 3, 6]'],
      ['[5]', '[5]'],
      ['[2, -2, 4]', '[2, 0, 4]'],
    ],
  ),
  fn(
    'p32',
    'grade',
    ['score'],
    [
      'def grade(score):\n    if score >= 90:\n        return "A"\n    elif score >= 80:\n        return "B"\n    elif score >= 70:\n        return "C"\n    elif score >= 60:\n        return "D"\n    return "F"',
    ],
    [
      ['95', '"A"'],
      ['72', '"C"'],
      ['10', '"F"'],
    ],
  ),
  fn(
    'p33',
    'anagrams',
    ['a', 'b'],
    ['def anagrams(a, b):\n    return sorted(a.replace(" ", "").lower()) == sorted(b.replace(" ", "").lower())'],
    [
      ['"listen", "silent"', 'True'],
      ['"abc", "abd"', 'False'],
      ['"Dormitory", "dirty room"', 'True'],
    ],
  ),
  fn(
    'p34',
    'nth_triangular',
    ['n'],
    ['def nth_triangular(n):\n    return n * (n + 1) // 2'],
    [
      ['4', '10'],
      ['1', '1'],
      ['10', '55'],
    ],
  ),
  io(
    's01',
    [
      'import sys\n\ndef main():\n    data = sys.stdin.read().split()\n    n = int(data[0])\n    nums = list(map(int, data[1:1 + n]))\n    print(sum(nums))\n\nmain()',
      'n = int(input())\nnums = [int(x) for x in input().split()]\nprint(sum(nums[:n]))',
    ],
    [
      ['3\n1 2 3\n', '6\n'],
      ['2\n10 -4\n', '6\n'],
      ['1\n7\n', '7\n'],
    ],
  ),
  io(
    's02',
    ['s = input().strip()\nprint(s[::-1])'],
    [
      ['abc\n', 'cba\n'],
      ['racecar\n', 'racecar\n'],
      ['xy\n', 'yx\n'],
    ],
  ),
  io(
    's03',
    [
      'import sys\n\nlines = sys.stdin.read().splitlines()\nt = int(lines[0])\nfor i in range(1, t + 1):\n    a, b = map(int, lines[i].split())\n    print(a * b)',
    ],
    [
      ['2\n3 4\n5 6\n', '12\n30\n'],
      ['1\n0 9\n', '0\n'],
      ['1\n-2 8\n', '-16\n'],
    ],
  ),
  io(
    's04',
    ['n = int(input())\nif n % 2 == 0:\n    print("even")\nelse:\n    print("odd")'],
    [
      ['4\n', 'even\n'],
      ['7\n', 'odd\n'],
      ['0\n', 'even\n'],
    ],
  ),
  io(
    's05',
    [
      'words = input().split()\ncounts = {}\nfor w in words:\n    counts[w] = counts.get(w, 0) + 1\nfor w in sorted(counts):\n    print(w, counts[w])',
    ],
    [
      ['b a b\n', 'a 1\nb 2\n'],
      ['x\n', 'x 1\n'],
      ['c c c\n', 'c 3\n'],
    ],
  ),
  io(
    's06',
    [
      'import sys\n\ndef solve(nums):\n    best = cur = nums[0]\n    for x in nums[1:]:\n        cur = max(x, cur + x)\n        best = max(best, cur)\n    return best\n\nnums = list(map(int, sys.stdin.read().split()))\nprint(solve(nums))',
    ],
    [
      ['-2 1 -3 4 -1 2 1 -5 4\n', '6\n'],
      ['1\n', '1\n'],
      ['-3 -1 -2\n', '-1\n'],
    ],
  ),
  io(
    's07',
    [
      'n = int(input())\nfor i in range(1, n + 1):\n    if i % 15 == 0:\n        print("FizzBuzz")\n    elif i % 3 == 0:\n        print("Fizz")\n    elif i % 5 == 0:\n        print("Buzz")\n    else:\n        print(i)',
    ],
    [
      ['5\n', '1\n2\nFizz\n4\nBuzz\n'],
      ['3\n', '1\n2\nFizz\n'],
      ['1\n', '1\n'],
    ],
  ),
  io(
    's08',
    [
      'a, b = map(int, input().split())\nwhile b:\n    a, b = b, a % b\nprint(a)',
      'import math\nx, y = map(int, input().split())\nprint(math.gcd(x, y))',
    ],
    [
      ['12 18\n', '6\n'],
      ['7 3\n', '1\n'],
      ['100 10\n', '10\n'],
    ],
  ),
];
