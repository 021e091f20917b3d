"""Data-only serialisation of a call's result: what crosses from the candidate's process to the oracle.

`encode` (run in the test process) writes a value as Python literal syntax built from builtin data only:
None, bool, int, float (`float('nan')`, `float('inf')`), complex, str, bytes, list, tuple, dict, set,
frozenset, and `Fraction(n, d)` / `Decimal('…')`. Subclasses of those whose equality is the base type's
(namedtuple, Counter, OrderedDict, IntEnum…) are written as the base; numpy scalars and arrays as their
`tolist()`. Anything else is refused with `Unserialisable`, which says whether the type brings its own
`__eq__` (a result that can compare equal to anything is tampering evidence).

`decode` (run by the oracle, outside the sandbox) reads that syntax back without evaluating anything: an
AST walk that builds only those types. A candidate may forge whatever text it likes; the worst it can do
is report a value, which the oracle then compares.
"""

import ast
import math

MAX_DEPTH = 100

_BASES = (bool, int, float, complex, str, bytes, list, tuple, dict, set, frozenset)


class Unserialisable(Exception):
    def __init__(self, message, rigged=False):
        Exception.__init__(self, message)
        self.rigged = rigged


class TooLarge(Exception):
    pass


def _own_eq(cls):
    """Whether `cls` (a non-builtin type) overrides equality somewhere below `object`."""
    for klass in cls.__mro__:
        if klass is object or klass in _BASES:
            return False
        d = klass.__dict__
        if '__eq__' in d or '__ne__' in d:
            return True
    return False


def _as_base(v, base):
    """A builtin subclass's value as its base type, read through the base type's own methods."""
    if base is dict:
        return dict(dict.items(v))
    if base in (list, tuple, set, frozenset):
        return base(base.__iter__(v))
    if base is str:
        return str.__str__(v)
    if base is bytes:
        return bytes.__getitem__(v, slice(None))
    if base is int:
        return int.__index__(v)
    if base is float:
        return float.__float__(v)
    if base is complex:
        return complex(float(v.real), float(v.imag))
    return base(v)


STDLIB_MODULES = {'collections', 'enum', 'typing', 'fractions', 'decimal'}


def encode(value, cap, notes=None):
    """`value` as text; `notes` (a list) collects evidence met on the way: builtin subclasses from the
    candidate that override equality (written as their base type, so they compare as plain data)."""
    out = []
    size = [0]

    def put(text):
        size[0] += len(text)
        if size[0] > cap:
            raise TooLarge('the result is larger than %d characters' % cap)
        out.append(text)

    active = set()

    def seq(items, depth, open_, close, one=False):
        put(open_)
        n = 0
        for item in items:
            if n:
                put(', ')
            walk(item, depth + 1)
            n += 1
        if one and n == 1:
            put(',')
        put(close)

    def walk(v, depth):
        if depth > MAX_DEPTH:
            raise Unserialisable('the result is nested more than %d levels deep' % MAX_DEPTH)
        t = type(v)
        if v is None or t is bool:
            put(repr(v))
            return
        if t is int:
            put(int.__repr__(v))
            return
        if t is float:
            if math.isnan(v):
                put("float('nan')")
            elif math.isinf(v):
                put("float('inf')" if v > 0 else "-float('inf')")
            else:
                put(float.__repr__(v))
            return
        if t is complex:
            put('complex(%s, %s)' % (_float_text(v.real), _float_text(v.imag)))
            return
        if t is str:
            put(str.__repr__(v))
            return
        if t is bytes:
            put(bytes.__repr__(v))
            return
        module = getattr(t, '__module__', '') or ''
        name = getattr(t, '__qualname__', t.__name__)
        if module == 'fractions' and name == 'Fraction':
            put('Fraction(%d, %d)' % (int(v.numerator), int(v.denominator)))
            return
        if module == 'decimal' and name == 'Decimal':
            put('Decimal(%s)' % str.__repr__(str(v)))
            return
        if module.split('.')[0] == 'numpy' and hasattr(v, 'tolist'):
            walk(v.tolist(), depth + 1)
            return
        if t not in _BASES:
            base = next((b for b in _BASES if issubclass(t, b)), None)
            rigged = _own_eq(t)
            if base is None:
                raise Unserialisable(
                    'the result is a %s object%s' % (name, ', whose class defines its own __eq__' if rigged else ''), rigged
                )
            if rigged and module.split('.')[0] not in STDLIB_MODULES and notes is not None:
                notes.append('the result is a %s, a %s whose class defines its own __eq__' % (name, base.__name__))
            walk(_as_base(v, base), depth)
            return
        key = id(v)
        if key in active:
            raise Unserialisable('the result contains itself (a cycle)')
        active.add(key)
        try:
            if t is list:
                seq(list.__iter__(v), depth, '[', ']')
            elif t is tuple:
                seq(tuple.__iter__(v), depth, '(', ')', one=True)
            elif t is set or t is frozenset:
                if not len(v):
                    put('set()' if t is set else 'frozenset()')
                else:
                    if t is frozenset:
                        put('frozenset(')
                    seq(set.__iter__(v) if t is set else frozenset.__iter__(v), depth, '{', '}')
                    if t is frozenset:
                        put(')')
            else:
                put('{')
                for n, (k, item) in enumerate(dict.items(v)):
                    if n:
                        put(', ')
                    walk(k, depth + 1)
                    put(': ')
                    walk(item, depth + 1)
                put('}')
        finally:
            active.discard(key)

    walk(value, 0)
    return ''.join(out)


def _float_text(x):
    if math.isnan(x):
        return "float('nan')"
    if math.isinf(x):
        return "float('inf')" if x > 0 else "-float('inf')"
    return float.__repr__(x)


class Malformed(Exception):
    pass


def decode(text):
    """The value `encode` wrote. Raises `Malformed` for anything outside its grammar."""
    try:
        tree = ast.parse(text, '<result>', 'eval')
    except (SyntaxError, ValueError, RecursionError, MemoryError) as e:
        raise Malformed('not a literal: %s' % type(e).__name__)
    return _build(tree.body, 0)


def _build(node, depth):
    if depth > MAX_DEPTH + 2:
        raise Malformed('nested too deep')
    t = type(node)
    if t is ast.Constant:
        if node.value is Ellipsis:
            raise Malformed('unexpected ...')
        return node.value
    if t is ast.List:
        return [_build(e, depth + 1) for e in node.elts]
    if t is ast.Tuple:
        return tuple(_build(e, depth + 1) for e in node.elts)
    if t is ast.Set:
        return {_hashable(_build(e, depth + 1)) for e in node.elts}
    if t is ast.Dict:
        if any(k is None for k in node.keys):
            raise Malformed('unexpected ** in a dict')
        return {_hashable(_build(k, depth + 1)): _build(v, depth + 1) for k, v in zip(node.keys, node.values)}
    if t is ast.UnaryOp and isinstance(node.op, (ast.USub, ast.UAdd)):
        v = _build(node.operand, depth + 1)
        if type(v) not in (int, float, complex):
            raise Malformed('a sign before a non-number')
        return -v if isinstance(node.op, ast.USub) else v
    if t is ast.Call and type(node.func) is ast.Name and not node.keywords:
        fn = node.func.id
        args = [_build(a, depth + 1) for a in node.args]
        if fn == 'float' and len(args) == 1 and args[0] in ('nan', 'inf', '-inf'):
            return float(args[0])
        if fn == 'complex' and len(args) == 2 and all(type(a) in (int, float) for a in args):
            return complex(args[0], args[1])
        if fn == 'set' and not args:
            return set()
        if fn == 'frozenset' and len(args) <= 1 and (not args or type(args[0]) is set):
            return frozenset(args[0]) if args else frozenset()
        if fn == 'Fraction' and len(args) == 2 and all(type(a) is int for a in args) and args[1] != 0:
            from fractions import Fraction

            return Fraction(args[0], args[1])
        if fn == 'Decimal' and len(args) == 1 and type(args[0]) is str:
            from decimal import Decimal, InvalidOperation

            try:
                return Decimal(args[0])
            except InvalidOperation:
                raise Malformed('not a decimal')
    raise Malformed('unexpected %s' % t.__name__)


def _hashable(v):
    try:
        hash(v)
    except TypeError:
        raise Malformed('an unhashable set member or key')
    return v
