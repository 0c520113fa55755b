"""Complex constants meeting the real numbers that have no complex kind:
Dual2 (hessian, hvp) and Jet (derivative of order n).

dualnum's complex numbers are first order only (ComplexDual).  A real number x
of another kind combined with a complex constant c = a + bi is the pair
(real part, imaginary part): x + c = (x + a, b), x * c = (a x, b x),
x / c = (a x, -b x) / |c|^2, c / x = (a / x, b / x).  Where the imaginary part
is identically zero the result is the real number, exactly: b == 0 for + - * /,
and x identically 0 (value and every derivative) for x * c with c finite.
Library code meets both, e.g. scipy 1.18's logsumexp on an object array,
``sgn * exp(imag(a_max) * 1j)``, with imag(a_max) a zero Dual2.  A complex
result raises a TypeError saying so; ** and the other functions of two
arguments take no complex constant (their TypeError as before).
"""
import cmath

import numpy as np

__all__ = ["real_operands"]

_COMPLEX = (complex, np.complexfloating)


def real_operands(a, b, symbol, kind, identically_zero):
    """(a, b) with the complex constant among them replaced by its real part,
    where ``a symbol b`` is real (see the module docstring); None where neither
    operand is a complex constant.  ``kind`` is the number type, and
    ``identically_zero(x)`` tells whether its x has value and derivatives 0."""
    if isinstance(a, kind) and isinstance(b, _COMPLEX):
        number, c = a, complex(b)
    elif isinstance(b, kind) and isinstance(a, _COMPLEX):
        number, c = b, complex(a)
    else:
        return None
    if c.imag == 0.0 or (symbol == "*" and cmath.isfinite(c) and identically_zero(number)):
        return (a, c.real) if number is a else (c.real, b)
    name = kind.__name__
    raise TypeError(
        f"{type(a).__name__} {symbol} {type(b).__name__} with the complex constant {c!r} is a "
        f"complex {name}, which dualnum does not have (complex numbers are first order: "
        f"ComplexDual, ComplexDualArray); a complex constant with imaginary part 0 is taken "
        f"as real.  Differentiate the real and imaginary parts as separate real functions")
