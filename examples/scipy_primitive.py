"""A scipy black box joins the chain rule through dualnum.primitive."""
import scipy.special as sp

import dualnum as dn

# J0' = -J1: give dualnum the derivative, and j0 works inside any expression
j0 = dn.primitive(sp.j0, lambda x: -sp.j1(x))

if __name__ == "__main__":
    x = 2.0
    d = dn.derivative(lambda t: dn.exp(-t) * j0(t * t), x)
    by_hand = -sp.j0(x * x) * dn.exp(-x) - 2 * x * sp.j1(x * x) * dn.exp(-x)
    print(f"d/dx exp(-x) J0(x^2) at 2: {d!r} (chain rule by hand: {by_hand!r})")
