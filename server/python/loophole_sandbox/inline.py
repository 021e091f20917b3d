"""Makes statements that share a line with an earlier statement visible to line coverage.

`if x == 3: return 99` is one line: a line tracer sees it run for every test, whichever way the `if`
goes, so the special case hides. Before compiling, each such statement (every statement but the first
to start on its line) gets a virtual line number of its own, VIRTUAL_BASE + k, so the tracer reports it
when, and only when, it runs. `SEGMENTS[k]` maps it back to its real (line, column).
"""

import ast

VIRTUAL_BASE = 1_000_000


def mark(tree):
    """Renumbers inline statements in `tree` in place; returns [(line, col)] indexed by k."""
    by_line: dict[int, list[ast.stmt]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.stmt):
            by_line.setdefault(node.lineno, []).append(node)
    segments: list[tuple[int, int]] = []
    for line in sorted(by_line):
        stmts = sorted(by_line[line], key=lambda s: s.col_offset)
        for stmt in stmts[1:]:
            # A statement nested in an earlier one on the same line is inline in it (`if a: return 1`);
            # one merely following it (`a = 1; b = 2`) is too. Either way it needs its own number.
            virtual = VIRTUAL_BASE + len(segments)
            segments.append((line, stmt.col_offset))
            for child in ast.walk(stmt):
                if hasattr(child, 'lineno'):
                    child.lineno = virtual
                    child.end_lineno = virtual  # type: ignore[attr-defined]  # every node with a lineno has one
    return segments


def real_line(lineno, segments):
    if lineno is not None and lineno >= VIRTUAL_BASE and lineno - VIRTUAL_BASE < len(segments):
        return segments[lineno - VIRTUAL_BASE][0]
    return lineno
