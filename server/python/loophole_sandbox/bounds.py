"""Records where an input sits exactly on a boundary the code draws.

`if points[1] - points[0] >= 5: print("YES")` passes an example whose difference is 5 and fails a
general input with difference 4: the boundary was drawn through the example. `if a + b < c:` (where
the problem says `<=`) lets the degenerate triangle 1 2 3 through, as a wrong test wants: the one
input that sits on the boundary is the one the boundary was moved for. Before compiling (with
coverage on), each single ordering comparison (`x >= 5`, `7 < len(s)`, `a + b < c`; chains are left
alone) becomes a call that evaluates both sides in order, compares them with the same operator (so
the program computes exactly what it did before), and counts how often it ran and how often both
sides were plain numbers and equal. For a comparison with a numeric literal of magnitude at least
MIN_CONSTANT it also counts how often the other side fell on the threshold's other side from the
literal itself (below 5 for `>= 5`, where 5 goes with the values above).

The counts are reported per call as [line, column, end column, constant, evaluations, equal, other]
for the sites that ran (at most MAX_REPORTED, literal sites first; the end column is -1 when the
comparison spans lines; constant and other are null for a comparison of two expressions); what they
mean for the candidate is decided by the server.
"""

import ast
import operator

# 0, 1 and 2 are everywhere (`n > 1`, `len(a) >= 2`): an input on them says nothing.
MIN_CONSTANT = 3
NAME = '__loophole_compare__'
MAX_REPORTED = 32

_OPERATORS = {ast.Lt: operator.lt, ast.LtE: operator.le, ast.Gt: operator.gt, ast.GtE: operator.ge}
# `x OP c`: whether the side of the threshold opposite to `c` itself is below it.
_OTHER_SIDE_BELOW = {ast.GtE: True, ast.Lt: True, ast.Gt: False, ast.LtE: False}
# `c OP x` read as `x OP' c`
_MIRROR = {ast.Lt: ast.Gt, ast.LtE: ast.GtE, ast.Gt: ast.Lt, ast.GtE: ast.LtE}

# Per site: (line, column, end column, constant or None, which operand is the literal (0 or 1, or
# None), other side below, the operator); and [evaluations, equal, other] per site of the current call.
SITES: list[tuple] = []
COUNTS: list[list[int]] = []


def _literal(node):
    """The number `node` spells (`5`, `-5`) when it is a threshold worth watching, else None."""
    sign = 1
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        sign, node = -1, node.operand
    if isinstance(node, ast.Constant):
        value = node.value
        if isinstance(value, (int, float)) and not isinstance(value, bool) and abs(value) >= MIN_CONSTANT:
            return sign * value
    return None


def _constant(node):
    return isinstance(node, ast.Constant) or (isinstance(node, ast.UnaryOp) and isinstance(node.operand, ast.Constant))


class _Wrap(ast.NodeTransformer):
    def visit_Compare(self, node):
        self.generic_visit(node)
        if len(node.ops) != 1 or type(node.ops[0]) not in _OPERATORS:
            return node
        op = type(node.ops[0])
        left, right = node.left, node.comparators[0]
        if _constant(left) and _constant(right):
            return node
        literal, at, below = None, None, None
        if _literal(right) is not None and not _constant(left):
            literal, at, below = _literal(right), 1, _OTHER_SIDE_BELOW[op]
        elif _literal(left) is not None and not _constant(right):
            literal, at, below = _literal(left), 0, _OTHER_SIDE_BELOW[_MIRROR[op]]
        elif _constant(left) or _constant(right):
            return node  # a small constant (`n > 1`): nothing to learn from a tie with it
        end = node.end_col_offset if node.end_lineno == node.lineno and node.end_col_offset is not None else -1
        SITES.append((node.lineno, node.col_offset, end, literal, at, below, _OPERATORS[op]))
        call = ast.Call(ast.Name(NAME, ast.Load()), [left, right, ast.Constant(len(SITES) - 1)], [])
        return ast.copy_location(call, node)


def mark(tree):
    """Rewrites the comparisons of `tree` in place (before `inline.mark`, which renumbers lines)."""
    SITES.clear()
    _Wrap().visit(tree)
    ast.fix_missing_locations(tree)


def reset():
    COUNTS[:] = [[0, 0, 0] for _ in SITES]


def record(left, right, site):
    """`left OP right`, as the comparison itself would compute it, counted."""
    _, _, _, constant, at, below, compare = SITES[site]
    counts = COUNTS[site]
    counts[0] += 1
    # plain numbers only: an object with its own ordering is compared, never inspected
    if type(left) in (int, float) and type(right) in (int, float):
        if left == right:
            counts[1] += 1
        elif at is not None:
            value = left if at == 1 else right
            if (value < constant) if below else (value > constant):
                counts[2] += 1
    return compare(left, right)


def report():
    ran = [i for i, c in enumerate(COUNTS) if c[0]]
    ran.sort(key=lambda i: SITES[i][3] is None)  # literal thresholds first
    out = []
    for i in ran[:MAX_REPORTED]:
        line, column, end, constant, at = SITES[i][:5]
        evaluations, equal, other = COUNTS[i]
        out.append([line, column, end, constant, evaluations, equal, other if at is not None else None])
    return out
