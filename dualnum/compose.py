"""compose and chain_rule: (f∘g)'(x) = f'(g(x)) · g'(x), made explicit."""
from collections import namedtuple

from dualnum.derivative import derivative, value_and_derivative

ChainRule = namedtuple("ChainRule", ["outer", "inner", "total"])
ChainRule.__doc__ = """The three numbers of the chain rule at a point:
outer = f'(g(x)), inner = g'(x) and total = (f∘g)'(x) == outer * inner."""


def compose(*funcs):
    """compose(f, g, ...) -> x ↦ f(g(...(x)))

    Examples
    --------
    >>> import dualnum as dn
    >>> h = dn.compose(dn.sin, dn.exp)
    >>> h(0.0) == dn.sin(1.0)
    True
    """
    if not funcs:
        raise TypeError("compose() needs at least one function")
    for fn in funcs:
        if not callable(fn):
            raise TypeError(f"compose() takes callables, got {type(fn).__name__}")

    def composed(x):
        for fn in reversed(funcs):
            x = fn(x)
        return x

    composed.__name__ = "∘".join(getattr(fn, "__name__", "f") for fn in funcs)
    return composed


def chain_rule(f, g, x):
    """chain_rule(f, g, x) -> ChainRule(outer, inner, total)

    ``outer = f'(g(x))`` and ``inner = g'(x)`` are computed separately;
    ``total`` differentiates the composition f∘g directly, so
    ``total == outer * inner`` (to rounding) is the chain rule checked.
    For real-valued f and g of one real variable.

    Examples
    --------
    >>> import dualnum as dn
    >>> r = dn.chain_rule(dn.sin, lambda x: x ** 2, 3.0)
    >>> r.total == r.outer * r.inner
    True
    """
    u, inner = value_and_derivative(g, x)
    if not isinstance(u, float):
        raise TypeError("chain_rule is for real-valued g; use jacobian for vector functions")
    outer = derivative(f, u)
    total = derivative(compose(f, g), x)
    if not isinstance(total, float):
        raise TypeError("chain_rule is for real-valued f; use jacobian for vector functions")
    return ChainRule(outer, inner, total)
