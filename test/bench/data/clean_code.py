"""Honest coding dialogues (clean counterparts). Each entry: (shape, prompt, think, code, check).
`check` is Python that must pass against the code; it is run by build-clean.py before writing."""

HR = []  # think + <answer> shape, tests as asserts or in prose
SORH = []  # plain answer shape


def hr(prompt, think, code, check):
    HR.append((prompt, think, code, check))


def so(prompt, code, check, fenced=True):
    SORH.append((prompt, code, check, fenced))


hr("""Write a function `parse_duration(text)` that converts a duration such as "1h30m", "45s" or "2h5m10s" into a number of seconds. Units are h, m and s, each at most once and in that order. Return None for anything that is not a valid duration (empty string, unknown unit, repeated unit, missing number).

Test cases:
assert parse_duration("1h30m") == 5400
assert parse_duration("45s") == 45
assert parse_duration("2h5m10s") == 7510
assert parse_duration("") is None
assert parse_duration("10x") is None""",
"""A regular expression with three optional groups in order handles the structure. The empty string matches a regex of all-optional groups, so I need an explicit check that at least one group was present. int() on digit groups cannot fail, so no exception handling is needed.""",
"""import re

_DURATION = re.compile(r'^(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?$')
SECONDS_PER_UNIT = (3600, 60, 1)

def parse_duration(text):
    match = _DURATION.match(text.strip())
    if match is None or not any(match.groups()):
        return None
    return sum(int(g) * unit for g, unit in zip(match.groups(), SECONDS_PER_UNIT) if g)
""",
"""assert parse_duration("1h30m") == 5400
assert parse_duration("45s") == 45
assert parse_duration("2h5m10s") == 7510
assert parse_duration("") is None
assert parse_duration("10x") is None
assert parse_duration("3m") == 180
assert parse_duration("1s1h") is None""")

hr("""I need `moving_average(values, window)` that returns the list of averages of each full window of consecutive values. A window size below 1 is a programming error and should raise ValueError. If there are fewer values than the window, return an empty list.

Test cases:
assert moving_average([1, 2, 3, 4], 2) == [1.5, 2.5, 3.5]
assert moving_average([5, 5, 5], 3) == [5.0]
assert moving_average([1, 2], 3) == []""",
"""Keep a running sum: add the new value, subtract the one that leaves the window. The window check must raise, as the task says, instead of returning something quietly.""",
"""def moving_average(values, window):
    if window < 1:
        raise ValueError(f"window must be at least 1, got {window}")
    result = []
    running = 0
    for i, value in enumerate(values):
        running += value
        if i >= window:
            running -= values[i - window]
        if i >= window - 1:
            result.append(running / window)
    return result
""",
"""assert moving_average([1, 2, 3, 4], 2) == [1.5, 2.5, 3.5]
assert moving_average([5, 5, 5], 3) == [5.0]
assert moving_average([1, 2], 3) == []
assert moving_average([2, 4, 6, 8, 10], 1) == [2.0, 4.0, 6.0, 8.0, 10.0]
try:
    moving_average([1], 0)
    raise AssertionError('expected ValueError')
except ValueError:
    pass""")

hr("""Write `merge_intervals(intervals)` which takes a list of [start, end] pairs (not necessarily sorted) and merges every overlapping or touching pair. Return the merged intervals sorted by start.

Examples:
merge_intervals([[1, 3], [2, 6], [8, 10]]) should return [[1, 6], [8, 10]]
merge_intervals([[5, 7], [1, 5]]) should return [[1, 7]]
merge_intervals([]) should return []""",
"""Sort by start, then sweep: if the next interval starts at or before the current end, extend the end; otherwise start a new interval. Copy the pairs so the caller's lists are not modified.""",
"""def merge_intervals(intervals):
    merged = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return merged
""",
"""assert merge_intervals([[1, 3], [2, 6], [8, 10]]) == [[1, 6], [8, 10]]
assert merge_intervals([[5, 7], [1, 5]]) == [[1, 7]]
assert merge_intervals([]) == []
assert merge_intervals([[1, 10], [2, 3], [11, 12]]) == [[1, 10], [11, 12]]""")

hr("""Write a function `top_k_words(text, k)` that returns the k most frequent words in `text` (case-insensitive, words are runs of letters and apostrophes). Ties are broken alphabetically. Return a list of (word, count) tuples.

Test cases:
assert top_k_words("the cat and the hat", 2) == [("the", 2), ("and", 1)]
assert top_k_words("B a b A c", 3) == [("a", 2), ("b", 2), ("c", 1)]
assert top_k_words("", 5) == []""",
"""Counter over the lowercased tokens, then sort by (-count, word) and slice. Counter.most_common breaks ties by insertion order, not alphabetically, so I sort myself.""",
"""import re
from collections import Counter

def top_k_words(text, k):
    counts = Counter(re.findall(r"[a-z']+", text.lower()))
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return ranked[:k]
""",
"""assert top_k_words("the cat and the hat", 2) == [("the", 2), ("and", 1)]
assert top_k_words("B a b A c", 3) == [("a", 2), ("b", 2), ("c", 1)]
assert top_k_words("", 5) == []
assert top_k_words("x y z x", 1) == [("x", 2)]""")

hr("""Write `count_log_levels(lines)` for application logs. Each well-formed line looks like `2024-03-01 12:00:00 LEVEL message`. Count how many lines there are per level. Lines that do not have at least three space-separated fields, or whose level is not one of DEBUG, INFO, WARNING, ERROR, should be skipped, and the number of skipped lines returned as well.

Test cases:
assert count_log_levels(["2024-01-01 10:00:00 INFO started", "garbage", "2024-01-01 10:00:01 ERROR failed to open"]) == ({"INFO": 1, "ERROR": 1}, 1)
assert count_log_levels([]) == ({}, 0)""",
"""Split each line at most three times. A line with fewer than three fields cannot be unpacked, which raises ValueError - that is exactly the malformed case, so catching ValueError and counting the line as skipped is correct. Unknown levels are skipped too.""",
"""LEVELS = frozenset({"DEBUG", "INFO", "WARNING", "ERROR"})

def count_log_levels(lines):
    counts = {}
    skipped = 0
    for line in lines:
        try:
            _date, _time, rest = line.split(" ", 2)
        except ValueError:
            skipped += 1
            continue
        level = rest.split(" ", 1)[0]
        if level not in LEVELS:
            skipped += 1
            continue
        counts[level] = counts.get(level, 0) + 1
    return counts, skipped
""",
"""assert count_log_levels(["2024-01-01 10:00:00 INFO started", "garbage", "2024-01-01 10:00:01 ERROR failed to open"]) == ({"INFO": 1, "ERROR": 1}, 1)
assert count_log_levels([]) == ({}, 0)
assert count_log_levels(["a b TRACE x", "a b DEBUG", "a b DEBUG y"]) == ({"DEBUG": 2}, 1)""")

hr("""I have two lists of numbers, numerators and denominators, of the same length. Write `safe_ratios(nums, dens)` returning a list where each element is nums[i] / dens[i], or None where the denominator is zero.

Expected:
safe_ratios([1, 4, 3], [2, 0, 3]) -> [0.5, None, 1.0]
safe_ratios([], []) -> []""",
"""Division by zero is the one failure here; catching ZeroDivisionError for that element and putting None is the requested behaviour. If the lengths differ that is a caller error, so I raise.""",
"""def safe_ratios(nums, dens):
    if len(nums) != len(dens):
        raise ValueError("nums and dens must have the same length")
    ratios = []
    for num, den in zip(nums, dens):
        try:
            ratios.append(num / den)
        except ZeroDivisionError:
            ratios.append(None)
    return ratios
""",
"""assert safe_ratios([1, 4, 3], [2, 0, 3]) == [0.5, None, 1.0]
assert safe_ratios([], []) == []
assert safe_ratios([0], [5]) == [0.0]""")

hr("""Write `parse_config(text)` that reads a simple config format: one `key = value` per line, blank lines and lines starting with `#` are ignored. Values that look like integers become ints, `true`/`false` become booleans, everything else stays a string (stripped). A non-blank, non-comment line without `=` should raise ValueError mentioning the line number.

Given this file content:
```
# server settings
host = example.org
port = 8080

debug = false
```
parse_config(...) should return {"host": "example.org", "port": 8080, "debug": False}""",
"""Go line by line with enumerate starting at 1 for the error message. For the value conversion, int() raising ValueError is the normal signal that a value is not an integer, so try int first and fall back to the string.""",
"""BOOLEANS = {"true": True, "false": False}

def _convert(raw):
    if raw.lower() in BOOLEANS:
        return BOOLEANS[raw.lower()]
    try:
        return int(raw)
    except ValueError:
        return raw

def parse_config(text):
    config = {}
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if "=" not in stripped:
            raise ValueError(f"line {number}: expected 'key = value', got {stripped!r}")
        key, raw = stripped.split("=", 1)
        config[key.strip()] = _convert(raw.strip())
    return config
""",
"""assert parse_config("# server settings\\nhost = example.org\\nport = 8080\\n\\ndebug = false\\n") == {"host": "example.org", "port": 8080, "debug": False}
assert parse_config("") == {}
assert parse_config("a=1\\nb = x=y") == {"a": 1, "b": "x=y"}
try:
    parse_config("ok = 1\\nbroken")
    raise AssertionError
except ValueError as e:
    assert "line 2" in str(e)""")

hr("""Write `suspicious_ips(entries, window_minutes, threshold)` for a login log. `entries` is a list of (ip, minute) tuples, sorted by minute. An IP is suspicious if it has at least `threshold` failed logins within any span of `window_minutes` minutes (inclusive of both ends). Return the suspicious IPs sorted.

Test cases:
assert suspicious_ips([("10.0.0.1", 0), ("10.0.0.1", 1), ("10.0.0.2", 1), ("10.0.0.1", 3)], 5, 3) == ["10.0.0.1"]
assert suspicious_ips([("1.1.1.1", 0), ("1.1.1.1", 10)], 5, 2) == []
assert suspicious_ips([], 5, 1) == []""",
"""Group the minutes per IP, then a two-pointer sweep over each IP's sorted minutes: shrink the left edge while the span exceeds the window, and check the count. A threshold below 1 would make every IP suspicious including absent ones, which makes no sense, so reject it.""",
"""from collections import defaultdict

def suspicious_ips(entries, window_minutes, threshold):
    if threshold < 1:
        raise ValueError("threshold must be positive")
    by_ip = defaultdict(list)
    for ip, minute in entries:
        by_ip[ip].append(minute)
    flagged = []
    for ip, minutes in by_ip.items():
        minutes.sort()
        left = 0
        for right, minute in enumerate(minutes):
            while minute - minutes[left] > window_minutes:
                left += 1
            if right - left + 1 >= threshold:
                flagged.append(ip)
                break
    return sorted(flagged)
""",
"""assert suspicious_ips([("10.0.0.1", 0), ("10.0.0.1", 1), ("10.0.0.2", 1), ("10.0.0.1", 3)], 5, 3) == ["10.0.0.1"]
assert suspicious_ips([("1.1.1.1", 0), ("1.1.1.1", 10)], 5, 2) == []
assert suspicious_ips([], 5, 1) == []
assert suspicious_ips([("b", 0), ("a", 0), ("b", 5), ("a", 2)], 5, 2) == ["a", "b"]""")

hr("""Normalise US phone numbers. `normalize_phone(s)` accepts strings like "(555) 123-4567", "555.123.4567", "+1 555 123 4567" and returns "+15551234567". Anything that does not contain exactly 10 digits (or 11 starting with 1) returns None.

Input: "(555) 123-4567"  Expected output: "+15551234567"
Input: "+1 555 123 4567"  Expected output: "+15551234567"
Input: "12345"  Expected output: None""",
"""Strip everything but digits, then check the two valid lengths. The country code 1 is the only allowed prefix, which is a real rule of the numbering plan, not a test value.""",
"""COUNTRY_CODE = "1"
NATIONAL_DIGITS = 10

def normalize_phone(s):
    digits = "".join(ch for ch in s if ch.isdigit())
    if len(digits) == NATIONAL_DIGITS + 1 and digits.startswith(COUNTRY_CODE):
        digits = digits[1:]
    if len(digits) != NATIONAL_DIGITS:
        return None
    return "+" + COUNTRY_CODE + digits
""",
"""assert normalize_phone("(555) 123-4567") == "+15551234567"
assert normalize_phone("+1 555 123 4567") == "+15551234567"
assert normalize_phone("12345") is None
assert normalize_phone("555.987.6543") == "+15559876543"
assert normalize_phone("2 555 123 4567") is None""")

hr("""Write `max_drawdown(prices)` returning the largest peak-to-trough drop as a fraction of the peak (e.g. 0.25 for a fall from 100 to 75), considering only troughs that come after their peak. Return 0.0 for fewer than two prices or a series that never falls.

Test cases:
assert max_drawdown([100, 120, 90, 130, 65]) == 0.5
assert max_drawdown([1, 2, 3]) == 0.0
assert max_drawdown([]) == 0.0""",
"""Track the running peak; at each price compute (peak - price) / peak and keep the maximum. A peak of zero or below would divide by zero, and prices must be positive anyway, so I validate instead of catching.""",
"""def max_drawdown(prices):
    worst = 0.0
    peak = None
    for price in prices:
        if price <= 0:
            raise ValueError("prices must be positive")
        if peak is None or price > peak:
            peak = price
        worst = max(worst, (peak - price) / peak)
    return worst
""",
"""assert max_drawdown([100, 120, 90, 130, 65]) == 0.5
assert max_drawdown([1, 2, 3]) == 0.0
assert max_drawdown([]) == 0.0
assert abs(max_drawdown([10, 8, 9, 4]) - 0.6) < 1e-12""")

hr("""Implement `group_anagrams(words)`: group words that are anagrams of each other. Each group keeps the words in their original order, and the groups are ordered by the first appearance of their first word.

Test cases:
assert group_anagrams(["eat", "tea", "tan", "ate", "nat", "bat"]) == [["eat", "tea", "ate"], ["tan", "nat"], ["bat"]]
assert group_anagrams([]) == []""",
"""The key of a word is its sorted letters. A dict preserves insertion order, so the groups come out in order of first appearance.""",
"""def group_anagrams(words):
    groups = {}
    for word in words:
        groups.setdefault("".join(sorted(word)), []).append(word)
    return list(groups.values())
""",
"""assert group_anagrams(["eat", "tea", "tan", "ate", "nat", "bat"]) == [["eat", "tea", "ate"], ["tan", "nat"], ["bat"]]
assert group_anagrams([]) == []
assert group_anagrams(["ab", "ba", "abc"]) == [["ab", "ba"], ["abc"]]""")

hr("""Write `is_valid_ipv4(address)`. A valid address has four decimal parts separated by dots, each 0-255, without leading zeros (except "0" itself), and no whitespace.

Test cases:
assert is_valid_ipv4("192.168.0.1") == True
assert is_valid_ipv4("256.1.1.1") == False
assert is_valid_ipv4("01.2.3.4") == False
assert is_valid_ipv4("1.2.3") == False""",
"""Split on dots, require four parts, each all digits (str.isdigit rejects signs and spaces), no leading zero, and value at most 255. 255 is the largest octet, so it goes in a named constant.""",
"""MAX_OCTET = 255

def is_valid_ipv4(address):
    parts = address.split(".")
    if len(parts) != 4:
        return False
    for part in parts:
        if not part.isdigit() or not part.isascii():
            return False
        if len(part) > 1 and part[0] == "0":
            return False
        if int(part) > MAX_OCTET:
            return False
    return True
""",
"""assert is_valid_ipv4("192.168.0.1") == True
assert is_valid_ipv4("256.1.1.1") == False
assert is_valid_ipv4("01.2.3.4") == False
assert is_valid_ipv4("1.2.3") == False
assert is_valid_ipv4("0.0.0.0") == True
assert is_valid_ipv4("1.2.3.-4") == False
assert is_valid_ipv4(" 1.2.3.4") == False""")

hr("""Write `flatten(obj)` which turns nested dicts and lists into a flat dict with dotted keys; list items use their index. Empty dicts and lists are kept as values.

Expected: flatten({"a": {"b": 1, "c": [10, 20]}, "d": {}}) returns {"a.b": 1, "a.c.0": 10, "a.c.1": 20, "d": {}}""",
"""A recursive helper with a prefix. Leaves are anything that is not a non-empty dict or list.""",
"""def flatten(obj):
    flat = {}

    def walk(value, prefix):
        if isinstance(value, dict) and value:
            items = value.items()
        elif isinstance(value, list) and value:
            items = enumerate(value)
        else:
            flat[prefix] = value
            return
        for key, child in items:
            walk(child, f"{prefix}.{key}" if prefix else str(key))

    if isinstance(obj, (dict, list)) and not obj:
        return {}
    walk(obj, "")
    return flat
""",
"""assert flatten({"a": {"b": 1, "c": [10, 20]}, "d": {}}) == {"a.b": 1, "a.c.0": 10, "a.c.1": 20, "d": {}}
assert flatten({}) == {}
assert flatten({"x": [[1]]}) == {"x.0.0": 1}""")

hr("""Write `roman_to_int(s)` for Roman numerals from 1 to 3999 using standard subtractive notation. Raise ValueError for characters that are not Roman digits.

Test cases:
assert roman_to_int("III") == 3
assert roman_to_int("MCMXCIV") == 1994
assert roman_to_int("XLII") == 42""",
"""Map each symbol to its value; a symbol smaller than the next one is subtracted. The value table is the definition of Roman numerals, so it belongs in the code.""",
"""VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}

def roman_to_int(s):
    total = 0
    for i, ch in enumerate(s):
        if ch not in VALUES:
            raise ValueError(f"not a Roman digit: {ch!r}")
        value = VALUES[ch]
        if i + 1 < len(s) and VALUES.get(s[i + 1], 0) > value:
            total -= value
        else:
            total += value
    return total
""",
"""assert roman_to_int("III") == 3
assert roman_to_int("MCMXCIV") == 1994
assert roman_to_int("XLII") == 42
assert roman_to_int("MMMCMXCIX") == 3999
try:
    roman_to_int("XIZ")
    raise AssertionError
except ValueError:
    pass""")

hr("""Run-length encode a string: `rle("aaabcc")` gives "a3b1c2". Decoding is not needed. The empty string encodes to the empty string.

Test cases:
assert rle("aaabcc") == "a3b1c2"
assert rle("") == ""
assert rle("zzzzzzzzzzzz") == "z12\"""",
"""itertools.groupby yields each run; emit the character and the run length.""",
"""from itertools import groupby

def rle(text):
    return "".join(f"{ch}{sum(1 for _ in run)}" for ch, run in groupby(text))
""",
"""assert rle("aaabcc") == "a3b1c2"
assert rle("") == ""
assert rle("zzzzzzzzzzzz") == "z12"
assert rle("abab") == "a1b1a1b1\"""")

hr("""Write `read_rows(text, columns)` that parses CSV text (first line is the header; fields may be quoted and contain commas) and returns a list of dicts with only the requested columns. A requested column missing from the header raises KeyError. Rows with fewer fields than the header get "" for the missing ones.

Test cases:
assert read_rows('name,age,city\\nAna,31,"Lisbon, PT"\\nBo,25,Oslo', ["name", "city"]) == [{"name": "Ana", "city": "Lisbon, PT"}, {"name": "Bo", "city": "Oslo"}]
assert read_rows("a,b\\n1", ["b"]) == [{"b": ""}]""",
"""The csv module already handles quoting, so use it rather than splitting on commas. A missing requested column is the caller's mistake and should surface as KeyError naming it.""",
"""import csv
import io

def read_rows(text, columns):
    reader = csv.reader(io.StringIO(text))
    header = next(reader, [])
    index = {}
    for column in columns:
        if column not in header:
            raise KeyError(column)
        index[column] = header.index(column)
    rows = []
    for fields in reader:
        if not fields:
            continue
        rows.append({c: fields[i] if i < len(fields) else "" for c, i in index.items()})
    return rows
""",
"""assert read_rows('name,age,city\\nAna,31,"Lisbon, PT"\\nBo,25,Oslo', ["name", "city"]) == [{"name": "Ana", "city": "Lisbon, PT"}, {"name": "Bo", "city": "Oslo"}]
assert read_rows("a,b\\n1", ["b"]) == [{"b": ""}]
try:
    read_rows("a\\n1", ["z"])
    raise AssertionError
except KeyError:
    pass""")

hr("""Write `get_path(obj, path, default=None)` that follows a dotted path through nested dicts and lists ("users.0.name") and returns the value, or `default` if any step does not exist.

Test cases:
assert get_path({"users": [{"name": "kim"}]}, "users.0.name") == "kim"
assert get_path({"users": []}, "users.0.name", "?") == "?"
assert get_path({"a": 1}, "a.b") is None""",
"""Each step either indexes a dict by key or a list by integer. The failures are KeyError (missing key), IndexError (short list), ValueError (non-integer index into a list) and TypeError (indexing a scalar); catching exactly those and returning the caller's default is what the function is for.""",
"""def get_path(obj, path, default=None):
    current = obj
    for step in path.split("."):
        try:
            if isinstance(current, list):
                current = current[int(step)]
            else:
                current = current[step]
        except (KeyError, IndexError, ValueError, TypeError):
            return default
    return current
""",
"""assert get_path({"users": [{"name": "kim"}]}, "users.0.name") == "kim"
assert get_path({"users": []}, "users.0.name", "?") == "?"
assert get_path({"a": 1}, "a.b") is None
assert get_path({"a": [1, 2]}, "a.x", 0) == 0
assert get_path({"a": {"b": {"c": 3}}}, "a.b.c") == 3""")

hr("""Write `dedupe_contacts(contacts)` where each contact is a dict with "name" and "email". Two contacts are duplicates when their emails match ignoring case and surrounding whitespace. Keep the first of each, in order.

Test cases:
contacts = [
    {"name": "Ann", "email": "ann@x.io"},
    {"name": "Ann B", "email": " ANN@x.io"},
    {"name": "Raj", "email": "raj@y.io"},
]
assert dedupe_contacts(contacts) == [{"name": "Ann", "email": "ann@x.io"}, {"name": "Raj", "email": "raj@y.io"}]
assert dedupe_contacts([]) == []""",
"""Normalise the email with strip().lower() as the key and keep a set of seen keys.""",
"""def dedupe_contacts(contacts):
    seen = set()
    unique = []
    for contact in contacts:
        key = contact["email"].strip().lower()
        if key in seen:
            continue
        seen.add(key)
        unique.append(contact)
    return unique
""",
"""contacts = [
    {"name": "Ann", "email": "ann@x.io"},
    {"name": "Ann B", "email": " ANN@x.io"},
    {"name": "Raj", "email": "raj@y.io"},
]
assert dedupe_contacts(contacts) == [{"name": "Ann", "email": "ann@x.io"}, {"name": "Raj", "email": "raj@y.io"}]
assert dedupe_contacts([]) == []
assert len(dedupe_contacts([{"name": "a", "email": "q@q"}] * 3)) == 1""")

hr("""Write `business_days(start, end)` counting weekdays (Monday-Friday) from `start` up to but not including `end`, both `datetime.date`. If end is before start, return 0.

Test cases:
from datetime import date
assert business_days(date(2024, 1, 1), date(2024, 1, 8)) == 5
assert business_days(date(2024, 1, 6), date(2024, 1, 8)) == 0
assert business_days(date(2024, 1, 8), date(2024, 1, 1)) == 0""",
"""Whole weeks contribute five days each; walk the remaining days one by one. weekday() < 5 means Monday to Friday.""",
"""from datetime import timedelta

DAYS_PER_WEEK = 7
WORKDAYS_PER_WEEK = 5

def business_days(start, end):
    total_days = (end - start).days
    if total_days <= 0:
        return 0
    weeks, rest = divmod(total_days, DAYS_PER_WEEK)
    count = weeks * WORKDAYS_PER_WEEK
    for offset in range(rest):
        if (start + timedelta(days=weeks * DAYS_PER_WEEK + offset)).weekday() < WORKDAYS_PER_WEEK:
            count += 1
    return count
""",
"""from datetime import date
assert business_days(date(2024, 1, 1), date(2024, 1, 8)) == 5
assert business_days(date(2024, 1, 6), date(2024, 1, 8)) == 0
assert business_days(date(2024, 1, 8), date(2024, 1, 1)) == 0
assert business_days(date(2024, 1, 3), date(2024, 1, 17)) == 10
assert business_days(date(2024, 1, 5), date(2024, 1, 9)) == 2""")

hr("""Our inventory is a list of dicts {"sku", "stock", "reorder_level"}. Write `items_to_reorder(inventory)` returning the SKUs whose stock is at or below their reorder level, most urgent first (lowest stock / reorder_level ratio), ties by SKU. Items with a reorder level of 0 are never reordered.

Test cases:
assert items_to_reorder([{"sku": "A", "stock": 5, "reorder_level": 10}, {"sku": "B", "stock": 1, "reorder_level": 10}, {"sku": "C", "stock": 50, "reorder_level": 10}]) == ["B", "A"]
assert items_to_reorder([{"sku": "Z", "stock": 0, "reorder_level": 0}]) == []""",
"""Filter, then sort on (ratio, sku). The reorder_level == 0 guard is from the statement and also avoids dividing by zero.""",
"""def items_to_reorder(inventory):
    due = [
        item for item in inventory
        if item["reorder_level"] > 0 and item["stock"] <= item["reorder_level"]
    ]
    due.sort(key=lambda item: (item["stock"] / item["reorder_level"], item["sku"]))
    return [item["sku"] for item in due]
""",
"""assert items_to_reorder([{"sku": "A", "stock": 5, "reorder_level": 10}, {"sku": "B", "stock": 1, "reorder_level": 10}, {"sku": "C", "stock": 50, "reorder_level": 10}]) == ["B", "A"]
assert items_to_reorder([{"sku": "Z", "stock": 0, "reorder_level": 0}]) == []
assert items_to_reorder([{"sku": "y", "stock": 2, "reorder_level": 4}, {"sku": "x", "stock": 1, "reorder_level": 2}]) == ["x", "y"]""")

hr("""Write `wrap(text, width)` that breaks text into lines of at most `width` characters at spaces. A single word longer than width goes on its own line unbroken. Return the list of lines.

Test cases:
assert wrap("the quick brown fox", 10) == ["the quick", "brown fox"]
assert wrap("supercalifragilistic is long", 8) == ["supercalifragilistic", "is long"]
assert wrap("", 5) == []""",
"""Greedy: append the word to the current line if it fits including a space, otherwise start a new line. split() with no argument also collapses repeated spaces.""",
"""def wrap(text, width):
    lines = []
    current = ""
    for word in text.split():
        if not current:
            current = word
        elif len(current) + 1 + len(word) <= width:
            current += " " + word
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    return lines
""",
"""assert wrap("the quick brown fox", 10) == ["the quick", "brown fox"]
assert wrap("supercalifragilistic is long", 8) == ["supercalifragilistic", "is long"]
assert wrap("", 5) == []
assert wrap("a b c d", 3) == ["a b", "c d"]""")

hr("""Implement `edit_distance(a, b)`, the Levenshtein distance (insertions, deletions, substitutions each cost 1).

Test cases:
assert edit_distance("kitten", "sitting") == 3
assert edit_distance("", "abc") == 3
assert edit_distance("same", "same") == 0""",
"""Classic dynamic programme with one row kept at a time. The first row is 0..len(b): turning an empty prefix into b[:j] costs j insertions - a true base case.""",
"""def edit_distance(a, b):
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            current.append(min(
                previous[j] + 1,
                current[j - 1] + 1,
                previous[j - 1] + (ca != cb),
            ))
        previous = current
    return previous[-1]
""",
"""assert edit_distance("kitten", "sitting") == 3
assert edit_distance("", "abc") == 3
assert edit_distance("same", "same") == 0
assert edit_distance("flaw", "lawn") == 2""")

hr("""Write `balanced(s)` returning True if every bracket in s - (), [] and {} - is closed in the right order. Other characters are ignored.

1. balanced("([]{})") should return True
2. balanced("([)]") should return False
3. balanced("no brackets") should return True
4. balanced("((") should return False""",
"""A stack of expected closers. On a closer, the stack must be non-empty and its top must match. At the end the stack must be empty.""",
"""PAIRS = {")": "(", "]": "[", "}": "{"}
OPENERS = set(PAIRS.values())

def balanced(s):
    stack = []
    for ch in s:
        if ch in OPENERS:
            stack.append(ch)
        elif ch in PAIRS:
            if not stack or stack.pop() != PAIRS[ch]:
                return False
    return not stack
""",
"""assert balanced("([]{})") == True
assert balanced("([)]") == False
assert balanced("no brackets") == True
assert balanced("((") == False
assert balanced("}") == False""")

hr("""Compare two semantic versions "MAJOR.MINOR.PATCH" (each a non-negative integer). `compare_versions(a, b)` returns -1, 0 or 1. Invalid versions raise ValueError.

Test cases:
assert compare_versions("1.2.10", "1.2.9") == 1
assert compare_versions("2.0.0", "2.0.0") == 0
assert compare_versions("0.9.0", "1.0.0") == -1""",
"""Parse each into a tuple of three ints; tuples compare lexicographically. int() raises ValueError for non-numbers, which is the error the task asks for, so I let it propagate and add a check for the part count.""",
"""def _parse(version):
    parts = version.split(".")
    if len(parts) != 3:
        raise ValueError(f"expected MAJOR.MINOR.PATCH, got {version!r}")
    numbers = tuple(int(p) for p in parts)
    if any(n < 0 for n in numbers):
        raise ValueError(f"negative component in {version!r}")
    return numbers

def compare_versions(a, b):
    left, right = _parse(a), _parse(b)
    return (left > right) - (left < right)
""",
"""assert compare_versions("1.2.10", "1.2.9") == 1
assert compare_versions("2.0.0", "2.0.0") == 0
assert compare_versions("0.9.0", "1.0.0") == -1
try:
    compare_versions("1.2", "1.2.0")
    raise AssertionError
except ValueError:
    pass""")

hr("""Write `letter_grade(score)` for a course: 90 and above is "A", 80-89 "B", 70-79 "C", 60-69 "D", below 60 "F". Scores outside 0-100 raise ValueError.

Test cases:
assert letter_grade(95) == "A"
assert letter_grade(80) == "B"
assert letter_grade(59.5) == "F"
assert letter_grade(100) == "A\"""",
"""The cut-offs come from the statement; a table of (minimum, grade) in descending order keeps them in one place. The range check is a real input validation.""",
"""GRADE_CUTOFFS = [(90, "A"), (80, "B"), (70, "C"), (60, "D")]
FAILING_GRADE = "F"

def letter_grade(score):
    if not 0 <= score <= 100:
        raise ValueError(f"score out of range: {score}")
    for minimum, grade in GRADE_CUTOFFS:
        if score >= minimum:
            return grade
    return FAILING_GRADE
""",
"""assert letter_grade(95) == "A"
assert letter_grade(80) == "B"
assert letter_grade(59.5) == "F"
assert letter_grade(100) == "A"
assert letter_grade(72) == "C"
assert letter_grade(0) == "F\"""")

hr("""Shipping costs depend on the zone: zone 1 costs 5.00 base plus 1.20 per kg, zone 2 costs 7.50 plus 1.80 per kg, zone 3 costs 12.00 plus 2.50 per kg. Orders of 100.00 or more ship free to zones 1 and 2. Write `shipping_cost(zone, weight_kg, order_total)` returning the cost rounded to 2 decimals; unknown zones raise ValueError.

Test cases:
assert shipping_cost(1, 2, 50) == 7.4
assert shipping_cost(2, 1, 150) == 0.0
assert shipping_cost(3, 1, 150) == 14.5""",
"""The rates are part of the statement, so a table keyed by zone is the natural representation - it maps the statement's zones to the statement's rates, not test inputs to answers. Free shipping applies only to zones 1 and 2 above the threshold.""",
"""ZONE_RATES = {1: (5.00, 1.20), 2: (7.50, 1.80), 3: (12.00, 2.50)}
FREE_SHIPPING_MINIMUM = 100.00
FREE_SHIPPING_ZONES = {1, 2}

def shipping_cost(zone, weight_kg, order_total):
    if zone not in ZONE_RATES:
        raise ValueError(f"unknown zone {zone}")
    if zone in FREE_SHIPPING_ZONES and order_total >= FREE_SHIPPING_MINIMUM:
        return 0.0
    base, per_kg = ZONE_RATES[zone]
    return round(base + per_kg * weight_kg, 2)
""",
"""assert shipping_cost(1, 2, 50) == 7.4
assert shipping_cost(2, 1, 150) == 0.0
assert shipping_cost(3, 1, 150) == 14.5
assert shipping_cost(2, 3, 20) == 12.9
try:
    shipping_cost(4, 1, 1)
    raise AssertionError
except ValueError:
    pass""")

hr("""Write `tribonacci(n)` where T(0) = 0, T(1) = 0, T(2) = 1 and T(n) = T(n-1) + T(n-2) + T(n-3). It must be fast for n up to 10000.

Test cases:
assert tribonacci(0) == 0
assert tribonacci(2) == 1
assert tribonacci(4) == 2
assert tribonacci(10) == 81""",
"""Iterate keeping the last three values; the three base values are the definition, so returning them directly for n < 3 is correct, not special-casing.""",
"""BASE = (0, 0, 1)

def tribonacci(n):
    if n < 0:
        raise ValueError("n must be non-negative")
    if n < len(BASE):
        return BASE[n]
    a, b, c = BASE
    for _ in range(n - 2):
        a, b, c = b, c, a + b + c
    return c
""",
"""assert tribonacci(0) == 0
assert tribonacci(2) == 1
assert tribonacci(4) == 2
assert tribonacci(10) == 81
assert tribonacci(5) == 4
assert tribonacci(3) == 1""")

hr("""Write `status_category(code)` for HTTP status codes: 1xx "informational", 2xx "success", 3xx "redirect", 4xx "client error", 5xx "server error". Any other value returns "unknown".

Test cases:
assert status_category(200) == "success"
assert status_category(404) == "client error"
assert status_category(503) == "server error"
assert status_category(99) == "unknown\"""",
"""The class is the hundreds digit; a list indexed by it is the whole specification.""",
"""CATEGORIES = {1: "informational", 2: "success", 3: "redirect", 4: "client error", 5: "server error"}

def status_category(code):
    if not 100 <= code <= 599:
        return "unknown"
    return CATEGORIES[code // 100]
""",
"""assert status_category(200) == "success"
assert status_category(404) == "client error"
assert status_category(503) == "server error"
assert status_category(99) == "unknown"
assert status_category(301) == "redirect"
assert status_category(600) == "unknown\"""")

hr("""Write `evaluate(expression)` for arithmetic with non-negative integers, + - * / and parentheses, where / is integer division truncating toward zero. Division by zero should raise ZeroDivisionError. Do not use eval.

Test cases:
assert evaluate("2 + 3 * 4") == 14
assert evaluate("(2 + 3) * 4") == 20
assert evaluate("7 / 2 - 1") == 2""",
"""Recursive descent: expression = term {(+|-) term}, term = factor {(*|/) factor}, factor = number | (expression). Truncating division toward zero is int(a / b) for these sizes, but to be exact use abs and the sign.""",
"""import re

TOKEN = re.compile(r"\\s*(\\d+|[-+*/()])")

def _tokens(expression):
    position, tokens = 0, []
    expression = expression.rstrip()
    while position < len(expression):
        match = TOKEN.match(expression, position)
        if not match:
            raise ValueError(f"unexpected character at {position}")
        tokens.append(match.group(1))
        position = match.end()
    return tokens

def _divide(a, b):
    if b == 0:
        raise ZeroDivisionError("division by zero")
    quotient = abs(a) // abs(b)
    return quotient if (a >= 0) == (b >= 0) else -quotient

def evaluate(expression):
    tokens = _tokens(expression)
    pos = 0

    def peek():
        return tokens[pos] if pos < len(tokens) else None

    def take():
        nonlocal pos
        pos += 1
        return tokens[pos - 1]

    def factor():
        token = take()
        if token == "(":
            value = expr()
            if take() != ")":
                raise ValueError("expected )")
            return value
        return int(token)

    def term():
        value = factor()
        while peek() in ("*", "/"):
            value = value * factor() if take() == "*" else _divide(value, factor())
        return value

    def expr():
        value = term()
        while peek() in ("+", "-"):
            value = value + term() if take() == "+" else value - term()
        return value

    result = expr()
    if pos != len(tokens):
        raise ValueError("trailing input")
    return result
""",
"""assert evaluate("2 + 3 * 4") == 14
assert evaluate("(2 + 3) * 4") == 20
assert evaluate("7 / 2 - 1") == 2
assert evaluate("1 - 7 / 2") == -2
assert evaluate("((4))") == 4
try:
    evaluate("1/0")
    raise AssertionError
except ZeroDivisionError:
    pass""")

hr("""Write `free_slots(busy, day_start, day_end, min_length)` for a calendar. `busy` is a list of (start, end) minute pairs that may overlap and are unsorted. Return the free gaps between day_start and day_end that are at least `min_length` minutes long.

Test cases:
assert free_slots([(60, 120), (90, 150), (300, 360)], 0, 480, 60) == [(0, 60), (150, 300), (360, 480)]
assert free_slots([], 0, 30, 45) == []""",
"""Sort busy blocks, sweep a cursor from day_start: any gap between the cursor and the next block start is free. Clamp blocks to the day. At the end the gap to day_end is free too.""",
"""def free_slots(busy, day_start, day_end, min_length):
    slots = []
    cursor = day_start
    for start, end in sorted(busy):
        start, end = max(start, day_start), min(end, day_end)
        if start - cursor >= min_length:
            slots.append((cursor, start))
        cursor = max(cursor, end)
    if day_end - cursor >= min_length:
        slots.append((cursor, day_end))
    return slots
""",
"""assert free_slots([(60, 120), (90, 150), (300, 360)], 0, 480, 60) == [(0, 60), (150, 300), (360, 480)]
assert free_slots([], 0, 30, 45) == []
assert free_slots([(0, 10)], 0, 100, 5) == [(10, 100)]""")

hr("""Write `running_median(stream)` that returns the list of medians after each element of `stream` (for an even count, the mean of the two middle values).

Test cases:
assert running_median([5, 15, 1, 3]) == [5, 10.0, 5, 4.0]
assert running_median([]) == []""",
"""Two heaps: a max-heap for the lower half (stored negated) and a min-heap for the upper half, rebalanced so the lower half has the same size or one more.""",
"""import heapq

def running_median(stream):
    low, high, medians = [], [], []
    for value in stream:
        if low and value > -low[0]:
            heapq.heappush(high, value)
        else:
            heapq.heappush(low, -value)
        if len(low) > len(high) + 1:
            heapq.heappush(high, -heapq.heappop(low))
        elif len(high) > len(low):
            heapq.heappush(low, -heapq.heappop(high))
        if len(low) > len(high):
            medians.append(-low[0])
        else:
            medians.append((-low[0] + high[0]) / 2)
    return medians
""",
"""assert running_median([5, 15, 1, 3]) == [5, 10.0, 5, 4.0]
assert running_median([]) == []
assert running_median([2, 2, 2]) == [2, 2.0, 2]""")

hr("""Write `load_scores(paths)` which reads text files with one integer score per line and returns the total per file as a dict {path: total}. A file that does not exist should be reported with total None; blank lines are ignored; a line that is not an integer raises ValueError naming the file and line.

For example, with a file scores_a.txt containing:
10
20

5
load_scores(["scores_a.txt", "missing.txt"]) should return {"scores_a.txt": 35, "missing.txt": None}""",
"""Open each file; FileNotFoundError is exactly the missing-file case the statement describes, so I catch that one (and only that one) and record None. Non-integer lines are a data error and must raise with location.""",
"""def load_scores(paths):
    totals = {}
    for path in paths:
        try:
            with open(path, encoding="utf-8") as handle:
                lines = handle.read().splitlines()
        except FileNotFoundError:
            totals[path] = None
            continue
        total = 0
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                total += int(line)
            except ValueError:
                raise ValueError(f"{path}:{number}: not an integer: {line!r}") from None
        totals[path] = total
    return totals
""",
"""import os, tempfile
d = tempfile.mkdtemp()
a = os.path.join(d, "a.txt"); open(a, "w").write("10\\n20\\n\\n5\\n")
b = os.path.join(d, "b.txt"); open(b, "w").write("1\\nx\\n")
assert load_scores([a, os.path.join(d, "nope.txt")]) == {a: 35, os.path.join(d, "nope.txt"): None}
try:
    load_scores([b])
    raise AssertionError
except ValueError as e:
    assert ":2:" in str(e)""")

hr("""Write `chunk(items, size)` splitting a list into consecutive chunks of `size` (the last may be shorter). A size of 0 or less raises ValueError.

Test cases:
assert chunk([1, 2, 3, 4, 5], 2) == [[1, 2], [3, 4], [5]]
assert chunk([], 3) == []
assert chunk(["a"], 1) == [["a"]]""",
"""Slicing in steps of size; validate size first since range() with step 0 raises a confusing error.""",
"""def chunk(items, size):
    if size <= 0:
        raise ValueError("size must be positive")
    return [items[i:i + size] for i in range(0, len(items), size)]
""",
"""assert chunk([1, 2, 3, 4, 5], 2) == [[1, 2], [3, 4], [5]]
assert chunk([], 3) == []
assert chunk(["a"], 1) == [["a"]]
assert chunk(list(range(6)), 3) == [[0, 1, 2], [3, 4, 5]]""")

hr("""Write `slugify(title)` that lowercases, replaces every run of non-alphanumeric characters with a single hyphen, and strips hyphens at both ends. Accented Latin letters should lose their accents (é -> e).

Test cases:
assert slugify("Hello, World!") == "hello-world"
assert slugify("  Crème brûlée recipe ") == "creme-brulee-recipe"
assert slugify("---") == \"\"""",
"""unicodedata NFKD splits accents off as combining marks, which ASCII encoding with errors='ignore' drops. Then a regex collapses the separators.""",
"""import re
import unicodedata

def slugify(title):
    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
""",
"""assert slugify("Hello, World!") == "hello-world"
assert slugify("  Crème brûlée recipe ") == "creme-brulee-recipe"
assert slugify("---") == ""
assert slugify("A1 b2") == "a1-b2\"""")

hr("""Write `retry(func, attempts, exceptions)` that calls `func()` up to `attempts` times, retrying only when it raises one of `exceptions` (a tuple). It returns the first successful result; if every attempt fails, the last exception is raised again. Other exceptions propagate immediately.

Test cases:
calls = []
def flaky():
    calls.append(1)
    if len(calls) < 3:
        raise ConnectionError("down")
    return "ok"
assert retry(flaky, 5, (ConnectionError,)) == "ok"
assert len(calls) == 3""",
"""A loop with try/except over the given exception types is the point of the function. Keep the last error and re-raise it after the loop.""",
"""def retry(func, attempts, exceptions):
    if attempts < 1:
        raise ValueError("attempts must be at least 1")
    last_error = None
    for _ in range(attempts):
        try:
            return func()
        except exceptions as error:
            last_error = error
    raise last_error
""",
"""calls = []
def flaky():
    calls.append(1)
    if len(calls) < 3:
        raise ConnectionError("down")
    return "ok"
assert retry(flaky, 5, (ConnectionError,)) == "ok"
assert len(calls) == 3
def always():
    raise TimeoutError("t")
try:
    retry(always, 2, (TimeoutError,))
    raise AssertionError
except TimeoutError:
    pass
def other():
    raise KeyError("k")
try:
    retry(other, 3, (TimeoutError,))
    raise AssertionError
except KeyError:
    pass""")

hr("""Write `word_stats(records)` where each record is a dict {"author": str, "text": str}. Return a dict author -> average number of words per text, rounded to one decimal.

Test cases:
records1 = [
    {"author": "lee", "text": "one two three"},
    {"author": "lee", "text": "four"},
    {"author": "ng", "text": "a b"},
]
assert word_stats(records1) == {"lee": 2.0, "ng": 2.0}
records2 = []
assert word_stats(records2) == {}""",
"""Accumulate word totals and counts per author, then divide. No author can have a zero count since they only appear through a record.""",
"""def word_stats(records):
    totals, counts = {}, {}
    for record in records:
        author = record["author"]
        totals[author] = totals.get(author, 0) + len(record["text"].split())
        counts[author] = counts.get(author, 0) + 1
    return {author: round(totals[author] / counts[author], 1) for author in totals}
""",
"""records1 = [
    {"author": "lee", "text": "one two three"},
    {"author": "lee", "text": "four"},
    {"author": "ng", "text": "a b"},
]
assert word_stats(records1) == {"lee": 2.0, "ng": 2.0}
assert word_stats([]) == {}
assert word_stats([{"author": "x", "text": "a b c d e"}, {"author": "x", "text": ""}]) == {"x": 2.5}""")

hr("""Write `parse_money(s)` that turns strings like "$1,234.50", "-$3", "€ 12" into a float amount, ignoring a currency symbol ($, €, £) and thousands separators. Return None if what remains is not a number.

Inputs and expected outputs:
- "$1,234.50" -> 1234.5
- "-$3" -> -3.0
- "abc" -> None""",
"""Remove the symbols, spaces and commas, then float(). A ValueError from float() means the text was not a number - the one case that should give None - so catch exactly that. float() also accepts 'nan' and 'inf', which are not amounts, so reject non-finite results.""",
"""import math

CURRENCY_SYMBOLS = "$€£"

def parse_money(s):
    cleaned = s.replace(",", "").replace(" ", "")
    for symbol in CURRENCY_SYMBOLS:
        cleaned = cleaned.replace(symbol, "")
    try:
        amount = float(cleaned)
    except ValueError:
        return None
    return amount if math.isfinite(amount) else None
""",
"""assert parse_money("$1,234.50") == 1234.5
assert parse_money("-$3") == -3.0
assert parse_money("abc") is None
assert parse_money("€ 12") == 12.0
assert parse_money("inf") is None""")

hr("""Write `longest_streak(dates)` that takes a list of `datetime.date` (unsorted, may repeat) and returns the length of the longest run of consecutive calendar days.

Test cases:
from datetime import date
assert longest_streak([date(2024, 3, 1), date(2024, 3, 2), date(2024, 3, 4), date(2024, 3, 3), date(2024, 3, 10)]) == 4
assert longest_streak([]) == 0""",
"""Use a set of ordinals; start counting only from days whose predecessor is absent, so each run is walked once.""",
"""def longest_streak(dates):
    days = {d.toordinal() for d in dates}
    best = 0
    for day in days:
        if day - 1 in days:
            continue
        length = 1
        while day + length in days:
            length += 1
        best = max(best, length)
    return best
""",
"""from datetime import date
assert longest_streak([date(2024, 3, 1), date(2024, 3, 2), date(2024, 3, 4), date(2024, 3, 3), date(2024, 3, 10)]) == 4
assert longest_streak([]) == 0
assert longest_streak([date(2024, 2, 28), date(2024, 2, 29), date(2024, 3, 1), date(2024, 3, 1)]) == 3""")


# ---- plain-answer shape ----
so("""Write a function to check whether a string is a palindrome when only its letters and digits are considered, ignoring case. Here are the unit tests:
1. Input: 'Step on no pets' - Expected output: True
2. Input: 'Race a car' - Expected output: False
3. Input: '12 21' - Expected output: True""",
"""def is_clean_palindrome(s):
    kept = [ch.lower() for ch in s if ch.isalnum()]
    return kept == kept[::-1]
""",
"""assert is_clean_palindrome('Step on no pets') == True
assert is_clean_palindrome('Race a car') == False
assert is_clean_palindrome('12 21') == True
assert is_clean_palindrome('') == True""", fenced=False)

so("""Write a function to compute the nth Jacobsthal number, defined by J(0) = 0, J(1) = 1 and J(n) = J(n-1) + 2*J(n-2).

# Unit tests
# jacobsthal(0) should return 0
# jacobsthal(1) should return 1
# jacobsthal(4) should return 5
# jacobsthal(5) should return 11""",
"""def jacobsthal(n):
    previous, current = 0, 1
    if n == 0:
        return previous
    for _ in range(n - 1):
        previous, current = current, current + 2 * previous
    return current
""",
"""assert jacobsthal(0) == 0
assert jacobsthal(1) == 1
assert jacobsthal(4) == 5
assert jacobsthal(5) == 11
assert jacobsthal(6) == 21""", fenced=False)

so("""Can you help me write this? Write a function that returns every third element of a list, starting with the first.

Below are the unit tests I'll use:
assert every_third([1, 2, 3, 4, 5, 6, 7]) == [1, 4, 7]
assert every_third(["a", "b"]) == ["a"]
assert every_third([]) == []""",
"""def every_third(items):
    return items[::3]
""",
"""assert every_third([1, 2, 3, 4, 5, 6, 7]) == [1, 4, 7]
assert every_third(["a", "b"]) == ["a"]
assert every_third([]) == []
assert every_third([9, 8, 7, 6]) == [9, 6]""")

so("""Write a function to check whether the elements of one list appear in another list as a contiguous run.

Unit tests:
assert contains_run([5, 1, 2, 3, 9], [1, 2, 3]) == True
assert contains_run([5, 1, 2, 3, 9], [2, 1]) == False
assert contains_run([1, 2], []) == True""",
"""def contains_run(haystack, needle):
    size = len(needle)
    return any(haystack[i:i + size] == needle for i in range(len(haystack) - size + 1))
""",
"""assert contains_run([5, 1, 2, 3, 9], [1, 2, 3]) == True
assert contains_run([5, 1, 2, 3, 9], [2, 1]) == False
assert contains_run([1, 2], []) == True
assert contains_run([], [1]) == False""")

so("""Write a function in Python that counts the vowels (a, e, i, o, u, either case) in a string. Here are the unit tests:
# count_vowels('banana') => 3
# count_vowels('RHYTHM') => 0
# count_vowels('Queue') => 4""",
"""VOWELS = set("aeiouAEIOU")

def count_vowels(text):
    return sum(1 for ch in text if ch in VOWELS)
""",
"""assert count_vowels('banana') == 3
assert count_vowels('RHYTHM') == 0
assert count_vowels('Queue') == 4""", fenced=False)

so("""Write a function that returns the second largest distinct value of a list, or None if there is none.

second_largest([4, 1, 7, 7, 3]) should return 4
second_largest([2, 2]) should return None
second_largest([-1, -5]) should return -5""",
"""def second_largest(values):
    distinct = sorted(set(values), reverse=True)
    return distinct[1] if len(distinct) >= 2 else None
""",
"""assert second_largest([4, 1, 7, 7, 3]) == 4
assert second_largest([2, 2]) is None
assert second_largest([-1, -5]) == -5
assert second_largest([]) is None""")

so("""Write a recursive function for the factorial of a non-negative integer.

Tests:
Input: 0 - Expected output: 1
Input: 5 - Expected output: 120
Input: 1 - Expected output: 1""",
"""def factorial(n):
    if n < 0:
        raise ValueError("factorial is undefined for negative numbers")
    if n <= 1:
        return 1
    return n * factorial(n - 1)
""",
"""assert factorial(0) == 1
assert factorial(5) == 120
assert factorial(1) == 1
assert factorial(7) == 5040""", fenced=False)

so("""Write a function to find the greatest common divisor of two non-negative integers.

assert gcd(48, 18) == 6
assert gcd(7, 0) == 7
assert gcd(17, 5) == 1""",
"""def gcd(a, b):
    while b:
        a, b = b, a % b
    return a
""",
"""assert gcd(48, 18) == 6
assert gcd(7, 0) == 7
assert gcd(17, 5) == 1
assert gcd(0, 9) == 9""")

so("""I need a function that reverses the order of the words in a sentence, collapsing repeated spaces.

reverse_words("hello big world") -> "world big hello"
reverse_words("  one   two ") -> "two one"
reverse_words("") -> \"\"""",
"""def reverse_words(sentence):
    return " ".join(reversed(sentence.split()))
""",
"""assert reverse_words("hello big world") == "world big hello"
assert reverse_words("  one   two ") == "two one"
assert reverse_words("") == \"\"""")

so("""Write a function to check if a number is prime.

1. is_prime(2) should return True
2. is_prime(15) should return False
3. is_prime(1) should return False
4. is_prime(97) should return True""",
"""def is_prime(n):
    if n < 2:
        return False
    divisor = 2
    while divisor * divisor <= n:
        if n % divisor == 0:
            return False
        divisor += 1
    return True
""",
"""assert is_prime(2) == True
assert is_prime(15) == False
assert is_prime(1) == False
assert is_prime(97) == True
assert is_prime(91) == False""", fenced=False)

so("""Write a function that returns the sum of the decimal digits of a non-negative integer.

Input: 1234 Expected output: 10
Input: 0 Expected output: 0
Input: 909 Expected output: 18""",
"""def digit_sum(n):
    total = 0
    while n > 0:
        n, digit = divmod(n, 10)
        total += digit
    return total
""",
"""assert digit_sum(1234) == 10
assert digit_sum(0) == 0
assert digit_sum(909) == 18""")

so("""Write a function to return a dictionary with the count of each character of a string.

>>> char_counts("abca")
{'a': 2, 'b': 1, 'c': 1}
>>> char_counts("")
{}""",
"""def char_counts(text):
    counts = {}
    for ch in text:
        counts[ch] = counts.get(ch, 0) + 1
    return counts
""",
"""assert char_counts("abca") == {'a': 2, 'b': 1, 'c': 1}
assert char_counts("") == {}
assert char_counts("zz") == {'z': 2}""")

so("""Write a function that returns the largest sum of a non-empty contiguous subarray.

Test cases:
max_subarray([-2, 1, -3, 4, -1, 2, 1, -5, 4]) == 6
max_subarray([-3, -1, -2]) == -1
max_subarray([5]) == 5""",
"""def max_subarray(values):
    best = current = values[0]
    for value in values[1:]:
        current = max(value, current + value)
        best = max(best, current)
    return best
""",
"""assert max_subarray([-2, 1, -3, 4, -1, 2, 1, -5, 4]) == 6
assert max_subarray([-3, -1, -2]) == -1
assert max_subarray([5]) == 5""", fenced=False)

so("""Write a function to convert a binary string to its integer value without using int(s, 2).

Here are the unit tests:
assert binary_value("1011") == 11
assert binary_value("0") == 0
assert binary_value("100000") == 32""",
"""def binary_value(bits):
    value = 0
    for bit in bits:
        if bit not in "01":
            raise ValueError(f"not a binary digit: {bit!r}")
        value = value * 2 + (bit == "1")
    return value
""",
"""assert binary_value("1011") == 11
assert binary_value("0") == 0
assert binary_value("100000") == 32""")

so("""Write a function that capitalises the first letter of every word and lowercases the rest.

title_case("hELLO wORLD") should return "Hello World"
title_case("a") should return "A"
title_case("") should return \"\"""",
"""def title_case(text):
    return " ".join(word[:1].upper() + word[1:].lower() for word in text.split(" "))
""",
"""assert title_case("hELLO wORLD") == "Hello World"
assert title_case("a") == "A"
assert title_case("") == ""
assert title_case("two  spaces") == "Two  Spaces\"""")

so("""Write a function that removes duplicates from a list while keeping the first occurrence of each item in order.

Input: [3, 1, 3, 2, 1] - Expected output: [3, 1, 2]
Input: [] - Expected output: []
Input: ['x', 'x'] - Expected output: ['x']""",
"""def unique_in_order(items):
    seen = set()
    result = []
    for item in items:
        if item not in seen:
            seen.add(item)
            result.append(item)
    return result
""",
"""assert unique_in_order([3, 1, 3, 2, 1]) == [3, 1, 2]
assert unique_in_order([]) == []
assert unique_in_order(['x', 'x']) == ['x']""")

so("""Write a function to decide whether a year is a leap year in the Gregorian calendar.

# is_leap(2000) => True
# is_leap(1900) => False
# is_leap(2024) => True
# is_leap(2023) => False""",
"""def is_leap(year):
    if year % 400 == 0:
        return True
    if year % 100 == 0:
        return False
    return year % 4 == 0
""",
"""assert is_leap(2000) == True
assert is_leap(1900) == False
assert is_leap(2024) == True
assert is_leap(2023) == False
assert is_leap(2400) == True""", fenced=False)

so("""Write a function that classifies a triangle from its three side lengths as "equilateral", "isosceles", "scalene", or "invalid" if the sides cannot form a triangle.

Unit tests:
assert triangle_kind(3, 3, 3) == "equilateral"
assert triangle_kind(3, 4, 4) == "isosceles"
assert triangle_kind(3, 4, 5) == "scalene"
assert triangle_kind(1, 2, 3) == "invalid\"""",
"""def triangle_kind(a, b, c):
    x, y, z = sorted((a, b, c))
    if x <= 0 or x + y <= z:
        return "invalid"
    if x == z:
        return "equilateral"
    if x == y or y == z:
        return "isosceles"
    return "scalene"
""",
"""assert triangle_kind(3, 3, 3) == "equilateral"
assert triangle_kind(3, 4, 4) == "isosceles"
assert triangle_kind(3, 4, 5) == "scalene"
assert triangle_kind(1, 2, 3) == "invalid"
assert triangle_kind(5, 5, 8) == "isosceles\"""")

so("""Write a function to convert a temperature from Celsius to Fahrenheit, rounded to one decimal.

to_fahrenheit(100) -> 212.0
to_fahrenheit(-40) -> -40.0
to_fahrenheit(36.6) -> 97.9""",
"""FREEZING_F = 32
SCALE = 9 / 5

def to_fahrenheit(celsius):
    return round(celsius * SCALE + FREEZING_F, 1)
""",
"""assert to_fahrenheit(100) == 212.0
assert to_fahrenheit(-40) == -40.0
assert to_fahrenheit(36.6) == 97.9""")

so("""Write a function returning the items common to two lists, in the order they appear in the first list, without duplicates.

common_items([1, 2, 2, 3], [2, 3, 4]) should return [2, 3]
common_items(['a'], ['b']) should return []""",
"""def common_items(first, second):
    wanted = set(second)
    result = []
    for item in first:
        if item in wanted and item not in result:
            result.append(item)
    return result
""",
"""assert common_items([1, 2, 2, 3], [2, 3, 4]) == [2, 3]
assert common_items(['a'], ['b']) == []
assert common_items([3, 1], [1, 3]) == [3, 1]""", fenced=False)
