"""The oracle: splits function tests into the calls the candidate must answer and the check made on the
answers, and makes that check. It runs outside the sandbox and never runs candidate code; test code is
not trusted either, so nothing here calls `eval`: the checks are read by a small interpreter that knows
literals, operators and a list of pure builtins, and nothing else.

`assert add(2, 3) == 5` becomes the call `add(2, 3)` (a *hole*) and the check `<hole 0> == 5`. The test
process sees only the hole's source; the expected value stays here. A test that cannot be split this way
(a loop, a helper function, an expected value that needs the candidate) runs whole in the test process
and its result is marked as such.

Protocol (JSON lines on stdin/stdout, one answer per request, in order):
  {"op": "plan", "tests": [code…]}                → {"plans": [{"steps": [["exec"|"eval", src]…]} | {"inProcess": reason}]}
  {"op": "judge", "items": [{"test": code, "values": [text…] | null, "raised": msg|null}]}
                                                 → {"verdicts": [{"outcome", "message"?, "tampering"?}]}
  {"op": "equal", "pairs": [[text, text]…]}       → {"equal": [bool | null…]}   (null: not comparable)
"""

import ast
import json
import math
import os
import resource
import signal
import sys
from typing import Any

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from loophole_sandbox import serial

SAFE_FUNCS = {
    'abs': abs,
    'all': all,
    'any': any,
    'bool': bool,
    'complex': complex,
    'dict': dict,
    'divmod': divmod,
    'float': float,
    'frozenset': frozenset,
    'int': int,
    'isinstance': isinstance,
    'len': len,
    'list': list,
    'max': max,
    'min': min,
    'pow': pow,
    'range': range,
    'reversed': reversed,
    'round': round,
    'set': set,
    'sorted': sorted,
    'str': str,
    'sum': sum,
    'tuple': tuple,
    'type': type,
    'chr': chr,
    'ord': ord,
    'bytes': bytes,
    'enumerate': enumerate,
    'zip': zip,
    'map': None,
    'filter': None,
}
SAFE_FUNCS = {k: v for k, v in SAFE_FUNCS.items() if v is not None}
SAFE_MATH = {k: getattr(math, k) for k in dir(math) if not k.startswith('_')}
SAFE_MODULES = {'math': SAFE_MATH}

BINOPS = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
    ast.FloorDiv: lambda a, b: a // b,
    ast.Mod: lambda a, b: a % b,
    ast.Pow: lambda a, b: _pow(a, b),
    ast.BitAnd: lambda a, b: a & b,
    ast.BitOr: lambda a, b: a | b,
    ast.BitXor: lambda a, b: a ^ b,
    ast.LShift: lambda a, b: _shift(a, b),
    ast.RShift: lambda a, b: a >> b,
}
CMPOPS = {
    ast.Eq: lambda a, b: a == b,
    ast.NotEq: lambda a, b: a != b,
    ast.Lt: lambda a, b: a < b,
    ast.LtE: lambda a, b: a <= b,
    ast.Gt: lambda a, b: a > b,
    ast.GtE: lambda a, b: a >= b,
    ast.Is: lambda a, b: a is b,
    ast.IsNot: lambda a, b: a is not b,
    ast.In: lambda a, b: a in b,
    ast.NotIn: lambda a, b: a not in b,
}
UNOPS = {ast.USub: lambda a: -a, ast.UAdd: lambda a: +a, ast.Not: lambda a: not a, ast.Invert: lambda a: ~a}

# Node types a check may be made of around its holes (everything the interpreter below evaluates).
TRANSPARENT = (ast.Compare, ast.BoolOp, ast.UnaryOp, ast.BinOp, ast.List, ast.Tuple, ast.Set, ast.Dict, ast.Subscript, ast.IfExp, ast.Slice)
# What a hole may contain: a call and its plain arguments, nothing that carries a comparison.
NOT_IN_HOLES = (
    ast.Compare,
    ast.BoolOp,
    ast.Lambda,
    ast.ListComp,
    ast.SetComp,
    ast.DictComp,
    ast.GeneratorExp,
    ast.IfExp,
    ast.NamedExpr,
    ast.Await,
    ast.Yield,
    ast.YieldFrom,
)


def _pow(a, b):
    if isinstance(b, int) and isinstance(a, int) and b > 4096 and abs(a) > 1:
        raise OverflowError('power too large for a check')
    return a**b


def _shift(a, b):
    if isinstance(b, int) and b > 65536:
        raise OverflowError('shift too large for a check')
    return a << b


class NotSplittable(Exception):
    pass


class Hole(ast.expr):
    """Stands for the k-th call's value in a check."""

    _fields = ()

    def __init__(self, k):
        ast.expr.__init__(self)
        self.k = k


def _tainted(node, bound=frozenset()):
    """Whether an expression needs the candidate: it names something that is neither a safe builtin,
    `math`, nor a name the test binds to a plain value (`bound`)."""
    for n in ast.walk(node):
        if isinstance(n, ast.Name) and n.id not in SAFE_FUNCS and n.id not in SAFE_MODULES and n.id not in bound:
            return True
    return False


def _safe_attribute(node):
    return (
        isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id in SAFE_MODULES
        and node.attr in SAFE_MODULES[node.value.id]
    )


def _split(node, holes, bound=frozenset()):
    """`node` with each tainted maximal sub-expression replaced by a Hole (its source kept in `holes`)."""
    if not _tainted(node, bound):
        _check_plain(node, bound)
        return node
    if isinstance(node, TRANSPARENT) or (
        isinstance(node, ast.Call) and ((isinstance(node.func, ast.Name) and node.func.id in SAFE_FUNCS) or _safe_attribute(node.func))
    ):
        for field, value in ast.iter_fields(node):
            if field in ('func', 'ctx', 'op', 'ops'):
                continue
            if isinstance(value, list):
                setattr(node, field, [_split(v, holes, bound) if isinstance(v, ast.expr) else _split_kw(v, holes, bound) for v in value])
            elif isinstance(value, ast.expr):
                setattr(node, field, _split(value, holes, bound))
        return node
    # A hole is a call of the candidate (or a name it defines): whatever its arguments hold is input, a
    # lambda or a comparison included. Anything else that needs the candidate (a generator running it
    # against expected values, a lambda around it) would carry the check into its process.
    if not isinstance(node, (ast.Call, ast.Name, ast.Attribute)) or (
        isinstance(node, ast.Attribute) and isinstance(node.value, NOT_IN_HOLES)
    ):
        raise NotSplittable('the candidate is called inside a %s' % type(node).__name__)
    if isinstance(node, ast.Call) and any(isinstance(n, NOT_IN_HOLES) for n in ast.walk(node.func)):
        raise NotSplittable('the candidate is called through a %s' % type(node.func).__name__)
    holes.append(ast.unparse(node))
    return Hole(len(holes) - 1)


def _split_kw(kw, holes, bound):
    if isinstance(kw, ast.keyword):
        kw.value = _split(kw.value, holes, bound)
        return kw
    raise NotSplittable('unexpected %s' % type(kw).__name__)


def _check_plain(node, bound=frozenset()):
    """A plain part of a check must be something the interpreter can evaluate."""
    for n in ast.walk(node):
        if isinstance(n, ast.Name) and n.id in bound:
            continue
        if isinstance(n, (ast.expr_context, ast.operator, ast.unaryop, ast.cmpop, ast.boolop, ast.keyword)):
            continue
        if isinstance(n, (ast.Constant, ast.Name, ast.Call, ast.Attribute, ast.Starred) + TRANSPARENT):
            if isinstance(n, ast.Attribute) and not _safe_attribute(n):
                raise NotSplittable('an attribute other than math.*')
            if isinstance(n, ast.Call) and not ((isinstance(n.func, ast.Name) and n.func.id in SAFE_FUNCS) or _safe_attribute(n.func)):
                raise NotSplittable('a call to something other than a pure builtin')
            continue
        raise NotSplittable('%s in the expected value' % type(n).__name__)


def _names(node):
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}


def plan(code):
    """(steps, checks, assigns) for a test, or raises NotSplittable.

    A test is a sequence of statements. Each `assert` becomes its holes (`('eval', src)` steps for the
    candidate's process) and a check (kept here). Any other statement is set-up: it runs in the
    candidate's process as an `('exec', src)` step, in its place — except a plain assignment
    (`expected = [1, 2]`), which is evaluated here, and reaches the candidate's process only when a call
    or another set-up step uses the name. A statement that hides an assert inside it (a loop, a `try`)
    cannot be split: the test then runs whole in the candidate's process."""
    try:
        tree = ast.parse(code, '<test>', 'exec')
    except (SyntaxError, ValueError) as e:
        raise NotSplittable('the test does not compile: %s' % e)
    if not any(isinstance(s, ast.Assert) for s in tree.body):
        raise NotSplittable('the test has no top-level assert')
    items: list[tuple[Any, ...]] = []  # ('exec', stmt) | ('plain', name, stmt) | ('assert', holes, check, text)
    bound: set[str] = set()
    assigned = set()  # names set by statements that run in the candidate's process
    holes_total = 0
    for stmt in tree.body:
        if isinstance(stmt, ast.Assert):
            holes: list[str] = []
            check = _split(stmt.test, holes, frozenset(bound))
            if not holes:
                raise NotSplittable('an assert that calls nothing of the candidate')
            items.append(('assert', holes, check, ast.get_source_segment(code, stmt) or 'assert ' + ast.unparse(stmt.test)))
            holes_total += len(holes)
            continue
        if any(isinstance(n, ast.Assert) for n in ast.walk(stmt)):
            raise NotSplittable('an assert inside a %s' % type(stmt).__name__)
        if (
            isinstance(stmt, ast.Assign)
            and len(stmt.targets) == 1
            and isinstance(stmt.targets[0], ast.Name)
            and stmt.targets[0].id not in assigned
            and not _tainted(stmt.value, frozenset(bound))
        ):
            try:
                _check_plain(stmt.value, frozenset(bound))
                name = stmt.targets[0].id
                bound.add(name)
                items.append(('plain', name, stmt))
                continue
            except NotSplittable:
                pass
        for n in ast.walk(stmt):
            if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store):
                if n.id in bound:
                    raise NotSplittable('%s is set both by the test and in the candidate\'s process' % n.id)
                assigned.add(n.id)
            elif isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                assigned.add(n.name)
        items.append(('exec', stmt))
    # Names the candidate's process needs: those its calls and set-up steps use (transitively through
    # plain assignments that use other plain names).
    needed = set()
    for it in items:
        if it[0] == 'assert':
            for h in it[1]:
                needed |= _names(ast.parse(h, mode='eval'))
        elif it[0] == 'exec':
            needed |= _names(it[1])
    for it in reversed(items):
        if it[0] == 'plain' and it[1] in needed:
            needed |= _names(it[2].value)
    steps, checks, assigns = [], [], []
    lo = 0
    for it in items:
        if it[0] == 'exec':
            steps.append(['exec', ast.unparse(it[1])])
        elif it[0] == 'plain':
            assigns.append((it[1], it[2].value))
            if it[1] in needed:
                steps.append(['exec', ast.unparse(it[2])])
        else:
            _, holes, check, text = it
            steps.extend(['eval', h] for h in holes)
            checks.append((check, lo, lo + len(holes), text, len(assigns)))
            lo += len(holes)
    return steps, checks, assigns


class Interp:
    def __init__(self, values, env=None):
        self.values = values
        self.env = env if env is not None else {}

    def ev(self, n):
        t = type(n)
        if t is Hole:
            return self.values[n.k]
        if t is ast.Constant:
            return n.value
        if t is ast.Name:
            if n.id in self.env:
                return self.env[n.id]
            if n.id in SAFE_FUNCS:
                return SAFE_FUNCS[n.id]
            raise NotSplittable('unknown name %s' % n.id)
        if t is ast.Attribute:
            return SAFE_MODULES[n.value.id][n.attr]
        if t is ast.List:
            return list(self.items(n.elts))
        if t is ast.Tuple:
            return tuple(self.items(n.elts))
        if t is ast.Set:
            return set(self.items(n.elts))
        if t is ast.Dict:
            out = {}
            for k, v in zip(n.keys, n.values):
                if k is None:
                    out.update(self.ev(v))
                else:
                    out[self.ev(k)] = self.ev(v)
            return out
        if t is ast.UnaryOp:
            return UNOPS[type(n.op)](self.ev(n.operand))
        if t is ast.BinOp:
            if type(n.op) not in BINOPS:
                raise NotSplittable('operator %s' % type(n.op).__name__)
            return BINOPS[type(n.op)](self.ev(n.left), self.ev(n.right))
        if t is ast.BoolOp:
            if isinstance(n.op, ast.And):
                v = True
                for e in n.values:
                    v = self.ev(e)
                    if not v:
                        return v
                return v
            v = False
            for e in n.values:
                v = self.ev(e)
                if v:
                    return v
            return v
        if t is ast.Compare:
            left = self.ev(n.left)
            for op, right_node in zip(n.ops, n.comparators):
                right = self.ev(right_node)
                if not CMPOPS[type(op)](left, right):
                    return False
                left = right
            return True
        if t is ast.IfExp:
            return self.ev(n.body) if self.ev(n.test) else self.ev(n.orelse)
        if t is ast.Subscript:
            return self.ev(n.value)[self.ev(n.slice)]
        if t is ast.Slice:
            return slice(*(self.ev(x) if x is not None else None for x in (n.lower, n.upper, n.step)))
        if t is ast.Call:
            fn = self.ev(n.func)
            args = []
            for a in n.args:
                if isinstance(a, ast.Starred):
                    args.extend(self.ev(a.value))
                else:
                    args.append(self.ev(a))
            kwargs = {k.arg: self.ev(k.value) for k in n.keywords if k.arg is not None}
            return fn(*args, **kwargs)
        raise NotSplittable('%s' % t.__name__)

    def items(self, elts):
        for e in elts:
            if isinstance(e, ast.Starred):
                yield from self.ev(e.value)
            else:
                yield self.ev(e)


def short(value, n=200):
    import reprlib

    r = reprlib.Repr()
    r.maxstring = r.maxother = 160
    r.maxlist = r.maxtuple = r.maxset = r.maxdict = 12
    text = r.repr(value)
    return text if len(text) <= n else text[:n] + '…'


class Oracle:
    def __init__(self):
        self.plans = {}

    def _plan(self, code):
        cached = self.plans.get(code)
        if cached is None:
            if len(self.plans) > 20000:
                self.plans.clear()
            try:
                cached = plan(code)
            except NotSplittable as e:
                cached = str(e)
            except RecursionError:
                cached = 'nested too deep'
            self.plans[code] = cached
        return cached

    def plan_tests(self, tests):
        out = []
        for code in tests:
            p = self._plan(code)
            out.append({'inProcess': p} if isinstance(p, str) else {'steps': p[0]})
        return out

    def judge(self, item):
        p = self._plan(item['test'])
        if isinstance(p, str):
            return {'outcome': 'error', 'message': 'the test cannot be judged outside the candidate: %s' % p}
        texts = item.get('values') or []
        values = []
        for text in texts:
            try:
                values.append(serial.decode(text))
            except serial.Malformed as e:
                return {
                    'outcome': 'error',
                    'message': 'the result channel carried a malformed value (%s): tampering' % e,
                    'tampering': 'a result that is not data-only: %s' % e,
                }
        _, checks, assigns = p
        env: dict[str, Any] = {}
        done = 0
        for check, lo, hi, text, n_assigns in checks:
            for name, expr in assigns[done:n_assigns]:
                try:
                    env[name] = Interp([], env).ev(expr)
                except NotSplittable as e:
                    return {'outcome': 'error', 'message': 'the test cannot be evaluated: %s' % e}
                except Exception as e:
                    return {'outcome': 'error', 'message': 'the test itself fails: %s: %s' % (type(e).__name__, str(e)[:200])}
            done = n_assigns
            if hi > len(values):
                raised = item.get('raised') or 'no value'
                return {'outcome': 'error', 'message': raised}
            try:
                ok = bool(Interp(values[lo:hi], env).ev(check))
            except NotSplittable as e:
                return {'outcome': 'error', 'message': 'the check cannot be evaluated: %s' % e}
            except Exception as e:  # the candidate's value made the check itself fail (None + 1…)
                got = ', '.join(short(v) for v in values[lo:hi])
                return {'outcome': 'fail', 'message': '%s — got %s (%s: %s)' % (text[:300], got, type(e).__name__, str(e)[:200])}
            if not ok:
                got = ', '.join(short(v) for v in values[lo:hi])
                return {'outcome': 'fail', 'message': '%s — got %s' % (text[:300], got)}
        if item.get('raised'):
            return {'outcome': 'error', 'message': item['raised']}
        return {'outcome': 'pass'}

    def equal(self, a, b):
        try:
            return serial.decode(a) == serial.decode(b)
        except serial.Malformed:
            return None


def _limits():
    try:
        resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))
    except (ValueError, OSError):
        pass


class Budget(Exception):
    pass


def _with_budget(fn, *args):
    """Runs one check with a CPU budget: test code could ask for a huge computation."""

    def alarm(signum, frame):
        raise Budget()

    old = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, 2.0)
    try:
        return fn(*args)
    except Budget:
        return {'outcome': 'error', 'message': 'the check took longer than 2 s'}
    except MemoryError:
        return {'outcome': 'error', 'message': 'the check ran out of memory'}
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def main():
    _limits()
    sys.setrecursionlimit(4000)
    oracle = Oracle()
    out = sys.stdout
    for line in sys.stdin:
        if not line.strip():
            continue
        req = json.loads(line)
        op = req.get('op')
        if op == 'plan':
            res = {'plans': oracle.plan_tests(req['tests'])}
        elif op == 'judge':
            res = {'verdicts': [_with_budget(oracle.judge, item) for item in req['items']]}
        elif op == 'equal':
            res = {'equal': [oracle.equal(a, b) for a, b in req['pairs']]}
        else:
            res = {'error': 'unknown op %r' % (op,)}
        out.write(json.dumps(res) + '\n')
        out.flush()


if __name__ == '__main__':
    main()
