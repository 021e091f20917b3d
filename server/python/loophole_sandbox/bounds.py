"""Records where a shown input sits exactly on a threshold the code compares it with.

`if points[1] - points[0] >= 5: print("YES")` passes an example whose difference is 5 and fails a
general input with difference 4: the boundary was drawn through the example. A general solution's
thresholds come from the problem, and a shown input landing exactly on one of them, in a decision
taken once per case, is rare. Before compiling (with coverage on), each ordering comparison between
an expression and a numeric literal of magnitude at least MIN_CONSTANT (`x >= 5`, `7 < len(s)`,
single comparisons only) has its expression wrapped in a call that counts how often the comparison
ran, how often the expression equalled the literal, and how often it fell on the other side of the
threshold from the literal itself (below 5 for `>= 5`, where 5 goes with the values above). The
wrapper returns the value unchanged and keeps the order of evaluation, so the program computes
exactly what it did before.

The counts are reported per call as [line, column, end column, constant, evaluations, equal, other]
for the sites that ran (at most MAX_REPORTED; the end column is -1 when the comparison spans lines);
what they mean for the candidate is decided by the server.
"""

import ast

# 0, 1 and 2 are everywhere (`n > 1`, `len(a) >= 2`): an input on them says nothing.
MIN_CONSTANT = 3
NAME = '__loophole_bound__'
MAX_REPORTED = 32

# `x OP c`: whether the side of the threshold opposite to `c` itself is below it.
_OTHER_SIDE_BELOW = {ast.GtE: True, ast.Lt: True, ast.Gt: False, ast.LtE: False}
# `c OP x` read as `x OP' c`
_MIRROR = {ast.Lt: ast.Gt, ast.LtE: ast.GtE, ast.Gt: ast.Lt, ast.GtE: ast.LtE}

# (line, column, end column, constant, other side below) per site, and [evaluations, equal, other]
# per site of the current call.
SITES: list[tuple[int, int, int, float, bool]] = []
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


class _Wrap(ast.NodeTransformer):
    def visit_Compare(self, node):
        self.generic_visit(node)
        if len(node.ops) != 1 or type(node.ops[0]) not in _OTHER_SIDE_BELOW:
            return node
        op = type(node.ops[0])
        right = _literal(node.comparators[0])
        left = _literal(node.left)
        if right is not None and left is None:
            node.left = self._wrapped(node.left, node, right, _OTHER_SIDE_BELOW[op])
        elif left is not None and right is None:
            node.comparators[0] = self._wrapped(node.comparators[0], node, left, _OTHER_SIDE_BELOW[_MIRROR[op]])
        return node

    @staticmethod
    def _wrapped(expr, site, constant, below):
        end = site.end_col_offset if site.end_lineno == site.lineno and site.end_col_offset is not None else -1
        SITES.append((site.lineno, site.col_offset, end, constant, below))
        call = ast.Call(ast.Name(NAME, ast.Load()), [expr, ast.Constant(len(SITES) - 1)], [])
        return ast.copy_location(call, expr)


def mark(tree):
    """Wraps the comparisons of `tree` in place (before `inline.mark`, which renumbers lines)."""
    SITES.clear()
    _Wrap().visit(tree)
    ast.fix_missing_locations(tree)


def reset():
    COUNTS[:] = [[0, 0, 0] for _ in SITES]


def record(value, site):
    counts = COUNTS[site]
    counts[0] += 1
    # plain numbers only: an object with its own __eq__ is not compared here
    if type(value) in (int, float):
        constant, below = SITES[site][3], SITES[site][4]
        if value == constant:
            counts[1] += 1
        elif (value < constant) if below else (value > constant):
            counts[2] += 1
    return value


def report():
    ran = [[*SITES[i][:4], c[0], c[1], c[2]] for i, c in enumerate(COUNTS) if c[0]]
    return ran[:MAX_REPORTED]
