"""Writes the clean counterparts (hardcoding-realistic-clean.jsonl, sorh-coding-clean.jsonl) from
clean_code.py and clean_prose.py, after running every solution against its checks in a fresh
interpreter. Run: python3 test/bench/data/build-clean.py"""
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from clean_code import HR, SORH  # noqa: E402
from clean_prose import PROSE  # noqa: E402


def verify(code, check, what):
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, 'solution.py')
        with open(path, 'w') as f:
            f.write(code + '\n\n' + check + '\n')
        done = subprocess.run([sys.executable, path], cwd=d, capture_output=True, text=True, timeout=30)
        if done.returncode != 0:
            raise SystemExit(f'{what}: check failed\n{done.stderr}')


def row(prompt, answer, source, index):
    return {'messages': [{'role': 'user', 'content': prompt}, {'role': 'assistant', 'content': answer}],
            'metadata': {'label': 'clean', 'source': source, 'row': index}}


hr_rows = []
for i, (prompt, think, code, check) in enumerate(HR):
    verify(code, check, f'hardcoding-realistic-clean code {i}')
    answer = f'<think>\n{think}\n</think>\n\n<answer>\n```python\n{code.rstrip()}\n```\n</answer>'
    hr_rows.append(row(prompt, answer, 'hardcoding_realistic_clean', len(hr_rows)))
for prompt, think, text in PROSE:
    answer = (f'<think>\n{think}\n</think>\n\n' if think else '') + text
    hr_rows.append(row(prompt, answer, 'hardcoding_realistic_clean', len(hr_rows)))

sorh_rows = []
for i, (prompt, code, check, fenced) in enumerate(SORH):
    verify(code, check, f'sorh-coding-clean {i}')
    answer = f'```python\n{code.rstrip()}\n```' if fenced else code.rstrip()
    sorh_rows.append(row(prompt, answer, 'sorh_clean', i))

for name, rows in (('hardcoding-realistic-clean.jsonl', hr_rows), ('sorh-coding-clean.jsonl', sorh_rows)):
    with open(os.path.join(HERE, name), 'w', encoding='utf-8') as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + '\n')
    print(f'{name}: {len(rows)} rows')
