#!/usr/bin/env python3
"""Writes the bundled sample review set and its ground truth.

    python3 media/sample/source/build.py            # writes media/sample/sample.loophole.jsonl and labels.json
    python3 media/sample/source/build.py OUT_DIR    # writes them into OUT_DIR instead

Every problem, test and candidate of the sample was written by hand for Loophole. Candidate code marks the
lines that special-case the tests with a trailing `#<`; the marker is stripped from the shipped code
and the 1-based numbers of those lines go to `labels.json`. The JSONL file is what the product reads;
`labels.json` is ground truth for tests and measurements only and is never read by the analyzers.

The problems are declared in `function_problems.py` and `stdio_problems.py` next to this file, in the
vocabulary of `dsl.py`.
"""
from __future__ import annotations

import json
import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.dont_write_bytecode = True  # keep the shipped folder free of __pycache__

import function_problems  # noqa: E402
import stdio_problems  # noqa: E402
from dsl import SampleSet  # noqa: E402


def main(argv: list[str]) -> int:
    out = pathlib.Path(argv[1]) if len(argv) > 1 else HERE.parent
    out.mkdir(parents=True, exist_ok=True)
    sample = SampleSet()
    function_problems.define(sample)
    stdio_problems.define(sample)
    sample.check()
    (out / "sample.loophole.jsonl").write_text(sample.jsonl(), encoding="utf-8")
    (out / "labels.json").write_text(json.dumps(sample.labels(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(sample.summary(), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
