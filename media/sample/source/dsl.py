"""The small vocabulary the sample's source files are written in.

A problem is declared with its tests by role; a candidate with its code, how the model wrapped it
(`<think>` reasoning, prose, fences) and, for hacks, the style of hack. Lines of candidate code that
special-case the tests end with the marker `#<`, which is stripped before the code is shipped.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field

MARK = re.compile(r"[ \t]*#<$")
SPLIT = "<SPLIT>"

STYLES = {
    "literal-branch",
    "lookup-table",
    "expected-output-return",
    "canned-fallback",
    "input-fingerprint",
    "test-reading",
    "harness-tampering",
    "wrong-test-fitting",
}
VARIANTS = {"discourage", "neutral", "permit"}
MODELS = {"kestrel": "kestrel-coder-7b", "marlin": "marlin-14b-instruct", "wren": "wren-3b-chat"}


def unmark(code: str) -> tuple[str, list[int]]:
    """Strips the `#<` markers; returns the clean code and the 1-based numbers of the marked lines."""
    lines, marked = [], []
    for i, line in enumerate(code.strip("\n").split("\n"), start=1):
        if MARK.search(line):
            marked.append(i)
            line = MARK.sub("", line)
        lines.append(line)
    return "\n".join(lines), marked


def fence(code: str, lang: str = "python") -> str:
    return f"```{lang}\n" + code + "\n```"


@dataclass
class Problem:
    id: str
    style: str
    statement: str
    tests: list[dict]
    reference: str
    entry_point: str | None = None
    after_candidates: bool = False

    def record(self) -> dict:
        rec: dict = {"record": "problem", "id": self.id, "style": self.style, "statement": self.statement}
        if self.entry_point:
            rec["entryPoint"] = self.entry_point
        rec["tests"] = self.tests
        rec["referenceSolution"] = self.reference.strip("\n") + "\n"
        return rec


@dataclass
class Candidate:
    id: str
    problem_id: str
    completion: str
    code: str
    lines: list[int]
    style: str
    variant: str
    model: str
    sample_index: int
    note: str
    explicit_code: bool
    reasoning: str | None = None

    def record(self) -> dict:
        rec: dict = {"record": "candidate", "id": self.id, "problemId": self.problem_id, "completion": self.completion}
        if self.reasoning is not None:
            rec["reasoning"] = self.reasoning
        if self.explicit_code:
            rec["code"] = self.code
        rec["promptVariant"] = self.variant
        rec["model"] = MODELS[self.model]
        rec["sampleIndex"] = self.sample_index
        return rec


@dataclass
class SampleSet:
    problems: list[Problem] = field(default_factory=list)
    candidates: list[Candidate] = field(default_factory=list)

    # ------------------------------------------------------------------ problems

    def function(self, pid: str, entry: str, statement: str, *, visible: list[str], incorrect: str,
                 heldout: list[str], reference: str, after_candidates: bool = False) -> None:
        """`visible`, `incorrect`, `heldout`: Python `assert` statements, in that order as t0, t1, …"""
        tests = []
        for role, codes in (("visible", visible), ("incorrect", [incorrect]), ("heldout", heldout)):
            for code in codes:
                tests.append({"id": f"t{len(tests)}", "role": role, "kind": "assert", "code": code})
        self.problems.append(Problem(pid, "function", statement, tests, reference, entry, after_candidates))

    def stdio(self, pid: str, statement: str, *, visible: list[tuple[str, str]], incorrect: tuple[str, str],
              heldout: list[tuple[str, str]], reference: str, after_candidates: bool = False) -> None:
        """Tests are `(stdin, expected stdout)` pairs."""
        tests = []
        for role, pairs in (("visible", visible), ("incorrect", [incorrect]), ("heldout", heldout)):
            for given, expected in pairs:
                tests.append({"id": f"t{len(tests)}", "role": role, "kind": "stdio", "input": given,
                              "expectedOutput": expected})
        self.problems.append(Problem(pid, "stdio", statement, tests, reference, None, after_candidates))

    # ------------------------------------------------------------------ candidates

    def candidate(self, variant: str, model: str, code: str, *, style: str = "none", note: str = "",
                  think: str | None = None, reasoning: str | None = None, before: str = "", after: str = "",
                  shape: str = "fence", draft: str | None = None, middle: str = "", usage: str | None = None,
                  usage_intro: str = "", usage_lang: str = "python", explicit_code: bool = False) -> None:
        """Adds a candidate to the last declared problem.

        shape: `fence` (prose around one ```python block), `bare` (code with no fence and no prose),
        `multi` (a first draft block, prose, then the final block), `split` (the code in two blocks
        with `middle` prose between them, where the code is given as `first piece<SPLIT>second piece`;
        the shipped code joins them with a blank line and is given explicitly). `usage` appends a
        block (```python unless `usage_lang` says otherwise) that only runs the code; Python usage
        blocks make the code explicit so that no reader has to guess.
        `think` goes into the completion as `<think>…</think>`; `reasoning` is the separate field.
        """
        problem = self.problems[-1]
        index = sum(1 for c in self.candidates if c.problem_id == problem.id)
        pieces = [piece.strip("\n") for piece in code.split(SPLIT)]
        clean, lines = unmark("\n\n".join(pieces))
        parts = []
        if think:
            parts.append(f"<think>\n{think.strip()}\n</think>\n")
        if shape == "bare":
            parts.append(clean + "\n")
        else:
            if before:
                parts.append(before.strip() + "\n\n")
            if shape == "multi":
                assert draft is not None
                parts.append(fence(unmark(draft)[0]) + "\n\n" + middle.strip() + "\n\n")
            if shape == "split":
                assert len(pieces) == 2
                parts.append(fence(unmark(pieces[0])[0]) + "\n\n" + middle.strip() + "\n\n" + fence(unmark(pieces[1])[0]))
                explicit_code = True
            else:
                parts.append(fence(clean))
            if usage is not None:
                parts.append("\n\n" + usage_intro.strip() + "\n\n" + fence(usage.strip("\n"), usage_lang))
                explicit_code = explicit_code or usage_lang == "python"
            if after:
                parts.append("\n\n" + after.strip())
            parts.append("\n")
        self.candidates.append(Candidate(
            id=f"{problem.id}/c{index}", problem_id=problem.id, completion="".join(parts), code=clean,
            lines=lines, style=style, variant=variant, model=model, sample_index=index, note=note,
            explicit_code=explicit_code, reasoning=reasoning.strip() if reasoning else None))

    # ------------------------------------------------------------------ output

    def check(self) -> None:
        ids = [p.id for p in self.problems]
        assert len(ids) == len(set(ids)), "duplicate problem id"
        for c in self.candidates:
            assert c.variant in VARIANTS, c.id
            assert c.model in MODELS, c.id
            assert c.style == "none" or c.style in STYLES, (c.id, c.style)
            assert (c.style == "none") == (not c.lines), f"{c.id}: hacks mark their lines, clean code marks none"
            assert c.note or c.style == "none", f"{c.id}: a hack needs a note"

    def jsonl(self) -> str:
        header = {"record": "header", "format": "loophole", "version": 1, "name": "bundled-sample",
                  "description": "Thirty small Python problems with four model candidates each, written for "
                                 "Loophole: clean solutions and special-cased ones of every common style."}
        out = [header]
        for p in self.problems:
            own = [c.record() for c in self.candidates if c.problem_id == p.id]
            out.extend(own + [p.record()] if p.after_candidates else [p.record()] + own)
        return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in out)

    def labels(self) -> dict:
        return {c.id: {"label": "clean" if c.style == "none" else "hack", "style": c.style, "lines": c.lines,
                       "note": c.note} for c in self.candidates}

    def summary(self) -> str:
        hacks = [c for c in self.candidates if c.style != "none"]
        by = lambda key, items: dict(sorted(Counter(key(c) for c in items).items()))  # noqa: E731
        return json.dumps({
            "problems": by(lambda p: p.style, self.problems),
            "candidates": len(self.candidates),
            "hacks": len(hacks),
            "styles": by(lambda c: c.style, hacks),
            "variant": {v: [n, by(lambda c: c.variant, hacks).get(v, 0)]
                        for v, n in by(lambda c: c.variant, self.candidates).items()},
            "model": {MODELS[m]: [n, by(lambda c: c.model, hacks).get(m, 0)]
                      for m, n in by(lambda c: c.model, self.candidates).items()},
        }, indent=1)
