"""Sparse Hessians from star colouring, and Hessian patterns found for the user.

References: the star-colouring property checked by brute force over every
path of four vertices; Hessians recovered from the colours against the dense
``dn.hessian`` and against central differences of the gradient; the
extended Rosenbrock Hessian derived by hand (tests/hessian_references.py);
for detection, Hessian entries written out by hand.
"""
import itertools

import numpy as np
import pytest
import hessian_references as references  # tests/, on pytest's pythonpath
import scipy.sparse

import dualnum as dn
from dualnum.hessian_sparsity import nearby_point
from dualnum.sparsity import pattern_coordinates, star_colour

rosenbrock, rosenbrock_hessian = references.rosenbrock, references.rosenbrock_hessian


# ------------------------------------------------------------ patterns

def banded(n, width):
    return sum(np.eye(n, k=k, dtype=bool) for k in range(-width, width + 1)).astype(bool)


def arrowhead(n):
    p = np.eye(n, dtype=bool)
    p[0, :] = p[:, 0] = True
    return p


def block_diagonal(n, size):
    return np.kron(np.eye(n // size), np.ones((size, size))).astype(bool)


def random_symmetric(n, density, seed, empty_rows=()):
    rng = np.random.default_rng(seed)
    p = rng.random((n, n)) < density
    p = p | p.T | np.eye(n, dtype=bool)
    p[list(empty_rows), :] = False
    p[:, list(empty_rows)] = False
    return p


def with_empty_rows(p, rows):
    p = p.copy()
    p[rows, :] = False
    p[:, rows] = False
    return p


PATTERNS = {
    "arrowhead": arrowhead(40),
    "tridiagonal": banded(30, 1),
    "pentadiagonal": banded(30, 2),
    "block-diagonal": block_diagonal(30, 3),
    "random": random_symmetric(35, 0.08, 3),
    "diagonal": np.eye(12, dtype=bool),
    "dense": np.ones((9, 9), dtype=bool),
    "empty rows": with_empty_rows(banded(20, 1) | arrowhead(20), [3, 4, 11]),
    "no entries": np.zeros((5, 5), dtype=bool),
}


def assert_star_colouring(pattern, colour):
    """Adjacent vertices differ; no path v-w-x-y on four vertices takes two colours."""
    n = pattern.shape[0]
    adjacent = pattern & ~np.eye(n, dtype=bool)
    neighbours = [np.nonzero(adjacent[i])[0] for i in range(n)]
    assert colour.shape == (n,) and (colour >= 0).all()
    for w in range(n):
        for x in neighbours[w]:
            assert colour[w] != colour[x], f"{w} and {x} are adjacent and alike"
            for v in neighbours[w]:
                for y in neighbours[x]:
                    if len({v, w, x, y}) == 4:
                        assert not (colour[v] == colour[x] and colour[w] == colour[y]), \
                            f"the path {v}-{w}-{x}-{y} takes two colours"


# ------------------------------------------------------------ star colouring

@pytest.mark.parametrize("name", PATTERNS)
def test_star_colouring_of_the_test_patterns(name):
    pattern = PATTERNS[name]
    analysed = dn.SparsityPattern(pattern, symmetric=True)
    assert analysed.symmetric and analysed.shape == pattern.shape
    assert_star_colouring(pattern, analysed.colour)
    assert analysed.colours == analysed.colour.max() + 1


@pytest.mark.parametrize("seed", range(20))
def test_star_colouring_of_random_patterns(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 40))
    pattern = random_symmetric(n, rng.uniform(0.02, 0.4), seed)
    rows, cols, _ = pattern_coordinates(pattern)
    assert_star_colouring(pattern, star_colour(rows, cols, n))


@pytest.mark.parametrize("n", [4, 10, 1000])
def test_colour_counts(n):
    assert dn.SparsityPattern(arrowhead(n), symmetric=True).colours == 2
    assert dn.SparsityPattern(arrowhead(n)).colours == n            # a column colouring: n
    assert dn.SparsityPattern(banded(n, 1), symmetric=True).colours == 3
    assert dn.SparsityPattern(np.eye(n, dtype=bool), symmetric=True).colours == 1
    assert dn.SparsityPattern(np.ones((min(n, 50),) * 2, bool), symmetric=True).colours == min(n, 50)
    assert dn.SparsityPattern(np.zeros((n, n), bool), symmetric=True).colours == 1


def test_a_dense_pattern_of_a_thousand_is_coloured_quickly():
    """Once every colour in use is forbidden the loop stops: a dense pattern
    costs O(n * degree), not O(n * degree**3)."""
    import time
    start = time.perf_counter()
    assert dn.SparsityPattern(np.ones((1000, 1000), bool), symmetric=True).colours == 1000
    assert time.perf_counter() - start < 5.0


def test_symmetric_patterns_are_checked():
    with pytest.raises(ValueError, match="must be square, got shape"):
        dn.SparsityPattern(np.ones((3, 4), bool), symmetric=True)
    with pytest.raises(ValueError, match=r"must be symmetric .* pattern \| pattern.T"):
        dn.SparsityPattern(np.triu(np.ones((3, 3), bool)), symmetric=True)
    # the Jacobian kind takes any pattern, as before
    assert dn.SparsityPattern(np.triu(np.ones((3, 3), bool))).colours == 3
    assert "symmetric=True" in repr(dn.SparsityPattern(np.eye(2), symmetric=True))
    assert "symmetric" not in repr(dn.SparsityPattern(np.eye(2)))


# ------------------------------------------------------------ recovery

def function_with_pattern(pattern, seed=0):
    """f whose Hessian has exactly the pattern's entries (a random weight on
    each), written with numpy on the compiled array: a product term for each
    pair above the diagonal, a cosine for each variable on it."""
    rng = np.random.default_rng(seed)
    i, j = np.nonzero(np.triu(pattern, 1))
    pair_weight = rng.uniform(0.5, 1.5, i.size)
    on_diagonal = np.nonzero(np.diag(pattern))[0]
    # a pair's product puts entries on its diagonal too: they must be in the pattern
    assert np.isin(i, on_diagonal).all() and np.isin(j, on_diagonal).all()

    def f(x):
        pairs = np.sum(pair_weight * np.sin(x[i] + 0.3) * np.sin(x[j] - 0.2))
        return pairs + np.sum(np.cos(x[on_diagonal])) + 0.5 * np.sum(x)

    return f


def central_difference_hessian(f, x, h=1e-5):
    """H from central differences of dualnum's gradient (an independent check
    of the second derivative, to about h**2)."""
    n = x.size
    columns = [(dn.gradient(f, x + h * e) - dn.gradient(f, x - h * e)) / (2 * h) for e in np.eye(n)]
    return np.array(columns).T


@pytest.mark.parametrize("name", PATTERNS)
def test_recovered_hessian_against_the_dense_one(name):
    pattern = PATTERNS[name]
    n = pattern.shape[0]
    f = function_with_pattern(pattern)
    x = np.linspace(-0.9, 1.3, n)
    want = dn.hessian(f, x)
    analysed = dn.SparsityPattern(pattern, symmetric=True)
    for sparsity in (pattern, scipy.sparse.csr_array(pattern), analysed):
        value, grad, hess = dn.value_gradient_and_hessian(f, x, sparsity=sparsity)
        np.testing.assert_allclose(hess, want, rtol=1e-14, atol=1e-14)
        np.testing.assert_array_equal(hess, hess.T)                    # exactly symmetric
        assert value == pytest.approx(dn.value_gradient_and_hessian(f, x)[0], rel=1e-15)
        np.testing.assert_allclose(grad, dn.gradient(f, x), rtol=1e-15, atol=1e-15)
    sparse = dn.hessian(f, x, sparsity=analysed, sparse_output=True)
    assert isinstance(sparse, scipy.sparse.csr_array)
    assert sparse.nnz == analysed.rows.size
    np.testing.assert_allclose(sparse.toarray(), want, rtol=1e-14, atol=1e-14)
    if n <= 20:
        np.testing.assert_allclose(hess, central_difference_hessian(f, x), rtol=1e-6, atol=1e-8)


def test_one_product_per_star_colour():
    """An arrowhead Hessian at n = 200 in 2 Hessian-vector products."""
    n = 200
    calls = []
    # v[:1], not v[0]: an element of an hvp's argument is a scalar that the
    # compiled array declines (then f runs again on object arrays)
    f = lambda v: calls.append(1) or np.sum(v ** 2 * v[:1]) + np.sum(np.sin(v))
    x = np.linspace(-1.0, 1.0, n)
    hess = dn.hessian(f, x, sparsity=arrowhead(n))
    assert len(calls) == 2
    want = np.diag(2 * x[0] - np.sin(x))
    want[0, 1:] = want[1:, 0] = 2 * x[1:]
    want[0, 0] = 6 * x[0] - np.sin(x[0])
    np.testing.assert_allclose(hess, want, rtol=1e-14, atol=1e-14)


def test_rosenbrock_band_at_many_points():
    n = 50
    pattern = dn.SparsityPattern(banded(n, 1), symmetric=True)
    rng = np.random.default_rng(1)
    for x in (np.zeros(n), np.ones(n), rng.normal(size=n), 1e8 * rng.normal(size=n)):
        np.testing.assert_allclose(dn.hessian(rosenbrock, x, sparsity=pattern), rosenbrock_hessian(x),
                                   rtol=1e-13, atol=1e-11 * max(1.0, np.max(np.abs(x)) ** 2))


def test_object_path_and_nesting_inside_f():
    """f that the compiled array declines (np.prod) goes through object
    arrays; f that differentiates inside (a derivative in t) nests."""
    x = np.array([0.5, 1.5, -0.7, 2.0])
    declined = lambda v: np.prod(v[:2]) + np.sum(np.sin(v) * v) + v[2] * v[3]
    inner = lambda v: dn.derivative(lambda t: np.sum(np.sin(t * v)) + t * v[0] * v[1], 1.0)
    pair = np.eye(4, dtype=bool)
    pair[0, 1] = pair[1, 0] = True
    two_pairs = pair.copy()
    two_pairs[2, 3] = two_pairs[3, 2] = True
    for f, pattern in ((declined, two_pairs), (inner, pair)):
        want = central_difference_hessian(f, x)
        np.testing.assert_allclose(dn.hessian(f, x, sparsity=pattern), want, rtol=1e-7, atol=1e-8)
        np.testing.assert_allclose(dn.hessian(f, x, sparsity="auto"), want, rtol=1e-7, atol=1e-8)
        np.testing.assert_array_equal(as_dense(dn.detect_hessian_sparsity(f, x)), pattern)


def test_an_entry_outside_the_pattern_in_a_free_slot_is_refused():
    with pytest.raises(ValueError, match="outside the given sparsity pattern"):
        dn.hessian(lambda v: v[0] * v[3] + np.sum(v ** 3), np.arange(1.0, 5.0),
                   sparsity=dn.SparsityPattern(banded(4, 1), symmetric=True))


def test_an_entry_outside_the_pattern_in_an_owned_slot_is_refused_for_one_sum():
    """A diagonal pattern has one colour, so every slot of H V is owned and the
    products cannot see x_0's couplings; where f is one sum of the compiled
    array, the recorded local Hessians hold every entry and refuse them."""
    f = lambda v: np.sum(v ** 2 * v[:1])
    with pytest.raises(ValueError, match=r"outside the given sparsity pattern \(row 0\)"):
        dn.hessian(f, np.arange(1.0, 6.0), sparsity=np.eye(5, dtype=bool))


# ------------------------------------------------------------ detection

def test_rosenbrock_at_zero_keeps_the_whole_band():
    """H[i, i+1] = -400 x_i vanishes at 0, but is in the pattern."""
    n = 30
    x = np.zeros(n)
    assert rosenbrock_hessian(x)[0, 1] == 0.0
    pattern = dn.detect_hessian_sparsity(rosenbrock, x)
    assert pattern.symmetric and pattern.colours == 3
    used = scipy.sparse.coo_array((np.ones(pattern.rows.size), (pattern.rows, pattern.cols)),
                                  shape=(n, n)).toarray() != 0
    np.testing.assert_array_equal(used, banded(n, 1))
    # reused elsewhere on the path, it gives the Hessian derived by hand
    y = np.random.default_rng(2).normal(size=n)
    np.testing.assert_allclose(dn.hessian(rosenbrock, y, sparsity=pattern), rosenbrock_hessian(y),
                               rtol=1e-13, atol=1e-11)


def as_dense(pattern):
    used = np.zeros(pattern.shape, dtype=bool)
    used[pattern.rows, pattern.cols] = True
    return used


def test_coincidental_and_structural_zeros():
    # x0² x1² at 0: every second derivative is 0 there, H[0, 1] = 4 x0 x1 is not elsewhere
    assert as_dense(dn.detect_hessian_sparsity(lambda v: v[0] ** 2 * v[1] ** 2, np.zeros(2))).all()
    # Σ x_i²: the off-diagonal zeros are structural
    np.testing.assert_array_equal(as_dense(dn.detect_hessian_sparsity(lambda v: np.sum(v ** 2),
                                                                      np.zeros(5))), np.eye(5, dtype=bool))
    # x0 x1 + x2: the diagonal of a product and the linear variable stay out
    want = np.zeros((3, 3), dtype=bool)
    want[0, 1] = want[1, 0] = True
    np.testing.assert_array_equal(as_dense(dn.detect_hessian_sparsity(lambda v: v[0] * v[1] + v[2],
                                                                      np.ones(3))), want)
    # a product of two sums (after the reductions) couples each variable of
    # one with each of the other: (a³ + b³)(c + d) has no H_ab, H_cd, H_cc
    coupled = lambda v: np.sum(v[:2] ** 3) * np.sum(v[2:])
    want = np.ones((4, 4), dtype=bool)
    want[2:, 2:] = False
    want[0, 1] = want[1, 0] = False
    np.testing.assert_array_equal(as_dense(dn.detect_hessian_sparsity(coupled, np.zeros(4))), want)


def test_arrowhead_detected_with_two_colours():
    n = 300
    f = lambda v: np.sum(v ** 2 * v[0]) + np.sum(np.exp(v))
    x = np.zeros(n)                            # H[0, i] = 2 x_i vanishes here
    pattern = dn.detect_hessian_sparsity(f, x)
    np.testing.assert_array_equal(as_dense(pattern), arrowhead(n))
    assert pattern.colours == 2


def test_kinks_nan_and_inf():
    # max(x, 0)³ at 0: H is 0 at x and 6 x' at the nearby point (moved up)
    kinked = lambda v: np.sum(np.maximum(v, 0.0) ** 3)
    np.testing.assert_array_equal(as_dense(dn.detect_hessian_sparsity(kinked, np.zeros(3))),
                                  np.eye(3, dtype=bool))
    # sqrt at 0: H[0, 0] = -inf is in the pattern; x_1 is away from the singular point
    with np.errstate(divide="ignore", invalid="ignore"):
        pattern = dn.detect_hessian_sparsity(lambda v: np.sum(np.sqrt(v)), np.array([0.0, 4.0]))
    np.testing.assert_array_equal(as_dense(pattern), np.eye(2, dtype=bool))
    # nan at x (log of a negative number): kept, as nan is not 0
    with np.errstate(invalid="ignore"):
        pattern = dn.detect_hessian_sparsity(lambda v: np.sum(np.log(v[:1]) * v[1:]),
                                             np.array([-1.0, 1.0]))
    assert as_dense(pattern)[0, 1]


def test_the_nearby_point_keeps_signs_and_is_near():
    x = np.array([-3.0, -1e-300, 0.0, 1e-300, 2.0, 1e8])
    y = nearby_point(x)
    assert (np.sign(y[x != 0]) == np.sign(x[x != 0])).all() and y[2] > 0
    assert (np.abs(y) > np.abs(x)).all()
    assert (np.abs(y - x) <= 2.0 ** -19 * np.maximum(np.abs(x), 1.0)).all()
    np.testing.assert_array_equal(nearby_point(x), y)          # a fixed seed: reproducible


def test_auto_through_every_api_function():
    n = 40
    x = np.linspace(-1.0, 1.0, n)
    f = lambda v: rosenbrock(v) + np.sum(v ** 2 * v[0])        # band plus arrowhead
    value, grad, want = dn.value_gradient_and_hessian(f, x)
    np.testing.assert_array_equal(dn.hessian(f, x, sparsity="auto"), want)
    v2, g2, h2 = dn.value_gradient_and_hessian(f, x, sparsity="auto")
    assert v2 == value
    np.testing.assert_array_equal(g2, grad)
    np.testing.assert_array_equal(h2, want)
    v3, g3, h3 = dn.value_gradient_and_hessian(f, x, sparsity="auto", sparse_output=True)
    assert isinstance(h3, scipy.sparse.csr_array)
    np.testing.assert_array_equal(h3.toarray(), want)
    assert v3 == value
    # the sparse result has the detected structure, also where an entry is 0 here
    zero = np.zeros(n)
    at_zero = dn.hessian(f, zero, sparsity="auto", sparse_output=True)
    assert at_zero.nnz == as_dense(dn.detect_hessian_sparsity(f, zero)).sum() == h3.nnz
    np.testing.assert_array_equal(at_zero.toarray(), dn.hessian(f, zero))
    np.testing.assert_allclose(want, central_difference_hessian(f, x), rtol=1e-6, atol=1e-6)


def test_detection_errors():
    with pytest.raises(ValueError, match="detect_hessian_sparsity needs a 1-D point, got shape"):
        dn.detect_hessian_sparsity(lambda m: np.sum(m ** 3), np.ones((2, 2)))
    with pytest.raises(ValueError, match="a sparse Hessian needs a 1-D point"):
        dn.hessian(lambda m: np.sum(m ** 3), np.ones((2, 2)), sparsity="auto")
    with pytest.raises(TypeError, match="argnums"):
        dn.hessian(lambda a, b: a * b, (1.0, 2.0), argnums=(0, 1), sparsity="auto")
    x = np.array([0.5, 1.0, 2.0])
    # inside another call (f closes over its dual number): not nestable, say what to do
    for call in (lambda p: dn.detect_hessian_sparsity(lambda y: p * np.sum(y ** 3), x),
                 lambda p: dn.hessian(lambda y: p * np.sum(y ** 3), x, sparsity="auto")[0, 0]):
        with pytest.raises(TypeError, match="not nestable .* use hessian without sparsity="):
            dn.derivative(call, 2.0)
    # and the dense Hessian there is the reference that message points to
    assert dn.derivative(lambda p: dn.hessian(lambda y: p * np.sum(y ** 3), x)[0, 0], 2.0) == 6 * 0.5


def test_star_recovery_reads_each_pair_from_one_side():
    """Every off-diagonal entry reads a (row, colour) slot that only it owns,
    on its own side or the mirrored one (the star property), so a star
    colouring never needs a substitution."""
    for pattern in PATTERNS.values():
        analysed = dn.SparsityPattern(pattern, symmetric=True)
        if not analysed.rows.size:
            continue
        k = analysed.colours
        slot = analysed.rows * k + analysed.colour[analysed.cols]
        owners = np.bincount(slot, minlength=pattern.shape[0] * k)
        mirrored = analysed.cols * k + analysed.colour[analysed.rows]
        assert ((analysed.source == slot) | (analysed.source == mirrored)).all()
        assert (owners[analysed.source] == 1).all()


@pytest.mark.parametrize("pair", list(itertools.combinations(range(4), 2)))
def test_every_pair_of_a_coupled_quartic(pair):
    """H of x_a² x_b² + Σ x_i⁴ at a random point, pattern detected at 0."""
    a, b = pair
    f = lambda v: v[a] ** 2 * v[b] ** 2 + np.sum(v ** 4)
    pattern = dn.detect_hessian_sparsity(f, np.zeros(4))
    want = np.eye(4, dtype=bool)
    want[a, b] = want[b, a] = True
    np.testing.assert_array_equal(as_dense(pattern), want)
    x = np.array([0.3, -1.2, 0.8, 2.0])
    hess = 12 * np.diag(x ** 2)
    hess[a, a] += 2 * x[b] ** 2
    hess[b, b] += 2 * x[a] ** 2
    hess[a, b] = hess[b, a] = 4 * x[a] * x[b]
    np.testing.assert_allclose(dn.hessian(f, x, sparsity=pattern), hess, rtol=1e-14)


# ------------------------------------------------------------ "auto" from one recorded pass

def counted(f):
    calls = []
    return calls, lambda v: calls.append(1) or f(v)


@pytest.mark.parametrize("point", ["zero", "spread"])
def test_auto_on_one_sum_takes_one_pass(point):
    """f's result is one sum of the compiled array: the local Hessians of its
    rows give H in one pass, on every pair they hold (the band also at 0,
    where H[i, i+1] = 0), exactly symmetric."""
    n = 60
    x = np.zeros(n) if point == "zero" else np.linspace(-1.0, 1.5, n)
    calls, f = counted(rosenbrock)
    hess = dn.hessian(f, x, sparsity="auto", sparse_output=True)
    assert len(calls) == 1 and hess.nnz == 3 * n - 2
    np.testing.assert_allclose(hess.toarray(), rosenbrock_hessian(x), rtol=1e-14, atol=1e-11)
    assert (hess != hess.T).nnz == 0
    calls.clear()
    value, grad, dense = dn.value_gradient_and_hessian(f, x, sparsity="auto")
    assert len(calls) == 1
    np.testing.assert_array_equal(dense, hess.toarray())
    assert value == rosenbrock(x)
    np.testing.assert_allclose(grad, dn.gradient(rosenbrock, x), rtol=1e-14, atol=1e-12)
    calls.clear()
    pattern = dn.detect_hessian_sparsity(f, x)                # at x and at x'
    assert len(calls) == 2
    np.testing.assert_array_equal(as_dense(pattern), banded(n, 1))


ONE_SUM = {
    # element i pairs x_i with x_(n-1-i): an anti-diagonal
    "mirrored": lambda v: np.sum(v * v * np.exp(v[::-1])),
    # x_0 with every x_i, in one sum
    "arrowhead": lambda v: np.sum(v ** 2 * v[:1] + np.sin(v)),
    # an element, not a sum
    "element": lambda v: (v ** 3 * v[::-1])[1],
}


@pytest.mark.parametrize("n", [7, 60])       # 60: the arrowhead's first row is a long one
@pytest.mark.parametrize("name", ONE_SUM)
def test_auto_one_pass_against_the_dense_hessian(name, n):
    f = ONE_SUM[name]
    for x in (np.linspace(-1.0, 1.2, n), np.zeros(n)):
        calls, counted_f = counted(f)
        hess = dn.hessian(counted_f, x, sparsity="auto")
        assert len(calls) == 1
        np.testing.assert_array_equal(hess, hess.T)
        np.testing.assert_allclose(hess, dn.hessian(f, x), rtol=1e-14, atol=1e-14)
        np.testing.assert_allclose(hess, central_difference_hessian(f, x), rtol=1e-6, atol=1e-6)


def test_auto_keeps_structural_pairs_as_explicit_zeros():
    """Σ x_i x_(i+1): every pair of an element is kept, also its zero diagonal,
    so the structure is the same at every point; detection keeps only
    entries that are nonzero somewhere."""
    n = 6
    f = lambda v: np.sum(v[1:] * v[:-1])
    hess = dn.hessian(f, np.linspace(0.5, 1.0, n), sparsity="auto", sparse_output=True)
    assert hess.nnz == 3 * n - 2
    np.testing.assert_array_equal(hess.toarray(), np.eye(n, k=1) + np.eye(n, k=-1))
    want = banded(n, 1) & ~np.eye(n, dtype=bool)
    np.testing.assert_array_equal(as_dense(dn.detect_hessian_sparsity(f, np.ones(n))), want)


def test_auto_nan_and_inf_in_one_pass():
    with np.errstate(divide="ignore", invalid="ignore"):
        hess = dn.hessian(lambda v: np.sum(np.sqrt(v)), np.array([0.0, 4.0]), sparsity="auto")
        want = dn.hessian(lambda v: np.sum(np.sqrt(v)), np.array([0.0, 4.0]))
    np.testing.assert_array_equal(hess, want)
    assert np.isinf(hess[0, 0])


FALLBACKS = {
    "sum of two sums": lambda v: np.sum(v ** 2 * v[:1]) + np.sum(np.sin(v)),
    "product of sums": lambda v: np.sum(v[:2] ** 3) * np.sum(v[2:]),
    "scalar op on an element": lambda v: v[0] * v[1] + np.sum(v ** 3),
    "declined by the array": lambda v: np.prod(v[:2]) + np.sum(v ** 3),
}


@pytest.mark.parametrize("name", FALLBACKS)
def test_auto_falls_back_to_dense_passes(name):
    """Where f's result is not one sum or element of the array, its local
    Hessians are not all of H (a product of sums couples across them): the
    dense pass gives H, and the union of two gives the pattern."""
    f = FALLBACKS[name]
    x = np.linspace(-1.0, 1.5, 5)
    want = dn.hessian(f, x)
    np.testing.assert_array_equal(dn.hessian(f, x, sparsity="auto"), want)
    sparse = dn.hessian(f, x, sparsity="auto", sparse_output=True)
    np.testing.assert_array_equal(sparse.toarray(), want)
    np.testing.assert_array_equal(as_dense(dn.detect_hessian_sparsity(f, x)), want != 0)
    np.testing.assert_allclose(want, central_difference_hessian(f, x), rtol=1e-6, atol=1e-6)
