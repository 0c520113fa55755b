"""How an API call seeds f's variables: the plan, chosen up front.

Every API operation validates its point (dualnum/_points.py), chooses a
plan, evaluates f once per pass of the plan and reads f's result
(dualnum/_read.pyx).  The plans:

- a real scalar point: one Dual ``x + eps`` (first order), a Jet ``x + t``
  (order n >= 2) or a Dual2 (hessian, hvp), seeded by dualnum/_seed.pyx;
- an array point of n variables, on a DualArray (dualnum/_forward.py), with
  the directions seeded as ``array_plan(n)`` says: none (EMPTY), all of them
  stored sparsely (SPARSE), all of them dense in ONE_PASS, or dense CHUNKS of
  at most MAX_CHUNK directions; a sparsity pattern seeds one direction per
  colour of its columns (dualnum/sparsity.py);
- second order on arrays: the compiled second-order array
  (dualnum/_hessian_pass.pyx), or object arrays of Dual2s where f needs more
  of numpy (dualnum/hessian.py);
- NESTED: the point holds numbers of an enclosing differentiation call; each
  variable is seeded with a Nested number of a new call
  (dualnum/_nested_plan.py).  f itself may also close over such numbers,
  which shows only once f runs: the Taylor and second-order passes then
  raise ForeignNumber and the operation is repeated by nested first
  derivatives.
"""


class _Nested:
    __slots__ = ()

    def __repr__(self):
        return "NESTED"


NESTED = _Nested()       # the plan of a point holding an enclosing call's numbers

EMPTY, SPARSE, ONE_PASS, CHUNKS = "empty", "sparse", "one pass", "chunks"

# Directions carried per evaluation of f with dense tangents.  An operation
# on a DualArray costs about a microsecond plus one pass over its
# (elements x chunk) tangents, so wide chunks mean fewer evaluations of f
# (measured with dense chunks at n = 3000: the Rosenbrock gradient took
# 280 / 232 / 107-115 / 97-111 / 118 ms with chunks of 64 / 128 / 256 / 512 /
# 1024, the Bratu Jacobian 173 / 175 / 157-166 / 114-123 / 137 ms); 256 keeps
# each array at 2 KiB per element.
MAX_CHUNK = 256

# Between these sizes f gets all n directions in one pass, stored sparsely
# (element i starts with the single entry "direction i"; see
# dualnum/_array.pyx): elementwise, sliced and banded code then costs O(n) per
# operation where dense chunks cost O(n²) in total.  Below, dense tangents
# have less overhead per operation (measured crossover on W3/W5: ~100).
SPARSE_SEEDING = (96, 10**12)

# Code that needs dense derivatives (a matrix product, a reduction over an
# axis) turns sparse tangents dense.  Past this many bytes for one array the
# sparse pass stops (DenseTangentTooLarge) and f is evaluated again with dense
# tangents in chunks, whose arrays stay (elements x MAX_CHUNK).
DENSE_BUDGET = 64 * 2**20


def array_plan(n):
    """How to seed the n variables of an array point for a Jacobian."""
    if n == 0:
        return EMPTY
    if SPARSE_SEEDING[0] <= n <= SPARSE_SEEDING[1]:
        return SPARSE
    return ONE_PASS if n <= MAX_CHUNK else CHUNKS


def chunks(n, max_chunk=None):
    """Split n directions into near-equal (start, size) chunks of at most max_chunk."""
    if n == 0:
        return []
    max_chunk = max_chunk or MAX_CHUNK
    passes = -(-n // max_chunk)
    size = -(-n // passes)
    return [(start, min(size, n - start)) for start in range(0, n, size)]
