"""dualnum.scipy: scipy's solvers, with scipy's names and signatures, whose
derivatives dualnum supplies.

Pass the function you would pass to scipy, unchanged.  The solvers here give
scipy the Jacobians, Hessians and sensitivities it asks for, computed by
dualnum, and accept dual numbers of an enclosing dualnum call in ``args`` (or
in ``y0``), returning the solution as dual numbers of that call.

scipy is an optional dependency of dualnum; this package needs it
(``pip install dualnum[scipy]``).
"""
import importlib.util

if importlib.util.find_spec("scipy") is None:      # the test extra installs scipy
    raise ImportError("dualnum.scipy needs scipy: pip install 'dualnum[scipy]' (or pip install scipy)")

from dualnum.scipy._least_squares import least_squares
from dualnum.scipy._minimize import minimize
from dualnum.scipy._ode import solve_ivp
from dualnum.scipy._root import fixed_point, root, root_scalar

__all__ = ["fixed_point", "least_squares", "minimize", "root", "root_scalar", "solve_ivp"]
