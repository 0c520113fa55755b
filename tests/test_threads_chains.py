"""Recorded chains split over several threads (dualnum/_threads.pyx, "Parts" in
dualnum/_chains.pyx) compute bit for bit what one thread computes.

The reference of every comparison is the same chain on one thread
(``dn.num_threads(1)``) and the same operations run at once, one at a time
(an array whose storage was handed out is never recorded); the eager loops
are tested against the scalar Dual in test_dualarray.py.  To split chains of
test size into many parts, the tests lower the work a part must have
(``chain_settings(part_work=...)``) and ask for more threads than the
machine has cores.
"""

import multiprocessing
import threading
import warnings

import numpy as np
import pytest

import dualnum as dn
from dualnum import _array, _chains, _simd, _threads

TAG = 31
N = 50_001                                       # not a multiple of any block size


@pytest.fixture
def split_small_chains():
    """Chains of N elements split into parts of ~1000 elements of work."""
    previous = _chains.chain_settings(part_work=1000)
    try:
        yield
    finally:
        _chains.chain_settings(*previous)


def fresh(values, k=1, seed=0):
    values = np.asarray(values, dtype=np.float64)
    tangent = np.random.default_rng(seed).uniform(-2, 2, values.shape + (k,))
    return _array.wrap(values.copy(), tangent, TAG, True)


def twin(values, k=1, seed=0):
    x = fresh(values, k, seed)
    x.value                                      # noqa: B018 (hands the storage out: eager)
    return x


def eager(build):
    """build() with every operation run at once (nothing recorded)."""
    previous = _chains.chain_settings(defer_entries=2**62)
    try:
        result = build()
    finally:
        _chains.chain_settings(*previous)
    assert not _chains.is_pending(result)
    return result


def assert_identical(a, b):
    assert a.shape == b.shape and a.directions == b.directions
    for u, v in ((a.value, b.value), (a.tangent, b.tangent)):
        np.testing.assert_array_equal(u, v, strict=True)
        assert np.array_equal(np.signbit(u), np.signbit(v))


def run_together(*targets):
    """Start a Python thread per target and wait for them all."""
    threads = [threading.Thread(target=target) for target in targets]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def split_runs():
    return _threads.statistics()[1]


def on_threads(n, build):
    """build() run with n threads; also checks that it split a chain when n > 1."""
    before = split_runs()
    with dn.num_threads(n):
        result = build()
        result.value                             # noqa: B018 (runs the chain now)
    if n > 1:
        assert split_runs() > before, "no chain was split"
    return result


def w2(x):
    return np.sin(x) * np.exp(-x * x / 2) + np.log(1 + x * x) / np.sqrt(1 + x * x)


CHAINS = {
    "unary": lambda x, y: np.tanh(np.cos(np.exp(np.sin(x)))),
    "binary": lambda x, y: (x * y - y / (x + 3.0)) ** 2.0 + x,
    "scalar operands": lambda x, y: 2.0 - (1.5 * x + np.float32(0.25)) / np.int64(3),
    "dual scalar operands": lambda x, y: x * x[7] + y[11] / (x * x + 1.0),
    "w2": lambda x, y: w2(x),
}


@pytest.mark.parametrize("k", [1, 3, 8])
@pytest.mark.parametrize("name", sorted(CHAINS))
@pytest.mark.parametrize("threads", [2, 3, 7])
def test_a_chain_on_several_threads_equals_one_thread_and_the_eager_operations(
        split_small_chains, name, k, threads):
    f = CHAINS[name]
    px, py = np.linspace(-2.0, 2.5, N), np.linspace(0.5, 3.0, N)[::-1].copy()
    parallel = on_threads(threads, lambda: f(fresh(px, k, 1), fresh(py, k, 2)))
    single = on_threads(1, lambda: f(fresh(px, k, 1), fresh(py, k, 2)))
    assert_identical(parallel, single)
    assert_identical(parallel, eager(lambda: f(twin(px, k, 1), twin(py, k, 2))))


@pytest.mark.parametrize("simd", _simd.available())          # (each path this build and CPU have)
def test_every_dispatch_path_gives_the_same_bits_on_several_threads(simd, tmp_path):
    # the vector kernels are picked at import: a subprocess per path
    script = tmp_path / "run.py"
    script.write_text(
        "import numpy as np, dualnum as dn\n"
        "from dualnum import _chains, _threads\n"
        "_chains.chain_settings(part_work=1000)\n"
        "x = np.linspace(-3, 3, 100_003)\n"
        "f = lambda v: np.sin(v) * np.exp(-v * v / 2) + np.log(1 + v * v) / np.sqrt(1 + v * v)\n"
        "with dn.num_threads(1):\n"
        "    one = dn.value_and_derivative(f, x)\n"
        "before = _threads.statistics()[1]\n"
        "with dn.num_threads(4):\n"
        "    four = dn.value_and_derivative(f, x)\n"
        "assert _threads.statistics()[1] > before\n"
        "for a, b in zip(one, four):\n"
        "    assert a.tobytes() == b.tobytes()\n"
        "print('identical')\n")
    result = run_python(script, DUALNUM_SIMD=simd)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "identical"


def run_python(script, **environment):
    import os
    import subprocess
    import sys
    env = dict(os.environ, **environment)
    return subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env,
                          timeout=300)


def test_strided_and_broadcast_operands_run_at_once_and_feed_split_chains(split_small_chains):
    points = np.linspace(-1.0, 1.0, 2 * N)
    grid = np.linspace(0.0, 1.0, N)

    def f(x, row):
        half = x[::2]                            # a strided view: handed out, runs at once
        shifted = half + row                     # broadcast (1,) against (N,)
        return np.exp(shifted) * np.sin(half) - shifted / 3.0

    row = np.array([0.25])
    parallel = on_threads(4, lambda: f(fresh(points, 2), row) + fresh(grid, 2, 5))
    single = on_threads(1, lambda: f(fresh(points, 2), row) + fresh(grid, 2, 5))
    assert_identical(parallel, single)
    assert_identical(parallel, eager(lambda: f(twin(points, 2), row) + twin(grid, 2, 5)))


def test_chains_of_different_lengths_split_at_their_own_block_edges(split_small_chains):
    # a range shorter than a block, a few blocks, and many: parts are whole
    # blocks, never more parts than blocks
    for size in (70_000, 70_001, 140_003):
        points = np.linspace(0.1, 4.0, size)
        for steps in (1, 2, 5, 31):
            def f(x, steps=steps):
                for i in range(steps):
                    x = np.sqrt(x * 1.0001 + i)
                return x
            parallel = on_threads(5, lambda: f(fresh(points)))
            assert_identical(parallel, eager(lambda: f(twin(points))))


# --------------------------------------------------------------------------
# non-finite values: the replay warns as numpy would, whatever the threads


def test_a_split_chain_with_non_finite_results_warns_as_the_operations_run_at_once(split_small_chains):
    values = np.linspace(-1.0, 1.0, N)          # log and sqrt of negatives
    build = lambda: np.log(fresh(values) - 0.5) * 2.0 + np.sqrt(fresh(values))
    caught = {}
    for threads in (4, 1):
        with warnings.catch_warnings(record=True) as caught[threads]:
            warnings.simplefilter("always")
            recorded = on_threads(threads, build)
    with warnings.catch_warnings(record=True) as expected:
        warnings.simplefilter("always")
        reference = eager(lambda: np.log(twin(values) - 0.5) * 2.0 + np.sqrt(twin(values)))
    messages = {threads: [str(w.message) for w in caught[threads]] for threads in caught}
    assert messages[4] == messages[1]            # the same warnings, in the same order
    assert sorted(messages[4]) == sorted(str(w.message) for w in expected)
    assert len(expected) == 2                    # invalid value in log, in sqrt
    assert_identical(recorded, reference)


def test_non_finite_values_in_one_part_only_replay_the_whole_chain(split_small_chains):
    # the only bad element is in the last part: its count alone must trigger the replay
    values = np.linspace(1.0, 2.0, N)
    values[-3] = -1.0
    with pytest.warns(RuntimeWarning, match="invalid value encountered in log"):
        recorded = on_threads(6, lambda: np.log(fresh(values)) + 1.0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert_identical(recorded, eager(lambda: np.log(twin(values)) + 1.0))


def test_an_ignored_error_state_stays_quiet_on_several_threads(split_small_chains):
    values = np.linspace(-1.0, 1.0, N)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(invalid="ignore", divide="ignore"):
            y = np.log(fresh(values)) * 3.0
        with dn.num_threads(3):
            y.value                              # noqa: B018 (runs it: no warning)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert_identical(y, eager(lambda: np.log(twin(values)) * 3.0))


# --------------------------------------------------------------------------
# threads of the program and the workers at once


def test_chains_forced_from_several_threads_while_parts_run(split_small_chains):
    points = np.linspace(-2, 2, 2 * N)
    expected = eager(lambda: w2(twin(points, 2)))
    results, errors = [None] * 6, []
    barrier = threading.Barrier(6)

    def work(i):
        try:
            y = w2(fresh(points, 2))
            barrier.wait()
            y.value                              # noqa: B018
            results[i] = y
        except Exception as error:               # pragma: no cover (reported below)
            errors.append(error)

    with dn.num_threads(3):
        run_together(*(lambda i=i: work(i) for i in range(6)))
    assert not errors
    for r in results:
        assert_identical(r, expected)


def test_one_pending_array_read_by_several_threads_while_its_parts_run(split_small_chains):
    points = np.linspace(-2, 2, 4 * N)
    expected = eager(lambda: w2(twin(points)))
    for _ in range(3):
        y = w2(fresh(points))
        barrier = threading.Barrier(4)
        seen = []

        def read():
            barrier.wait()
            seen.append((y.value.copy(), y.tangent.copy()))

        with dn.num_threads(4):
            run_together(read, read, read, read)
        for value, tangent in seen:
            np.testing.assert_array_equal(value, expected.value)
            np.testing.assert_array_equal(tangent, expected.tangent)


def test_an_input_changed_by_another_thread_while_the_chain_runs_in_parts(split_small_chains):
    points = np.linspace(0.5, 1.5, 8 * N)

    def chain(x):
        g = x * 1.0
        y = g
        for _ in range(10):
            y = np.sin(y) + g
        return y

    expected = eager(lambda: chain(twin(points)))
    for _ in range(3):
        x = fresh(points)
        y = chain(x)
        started = threading.Event()

        def run():
            started.set()
            y.value                              # noqa: B018

        def change():
            started.wait()
            x.value[:] = 0.0                     # waits for the chain (expose)

        with dn.num_threads(4):
            run_together(run, change)
        assert_identical(y, expected)
        np.testing.assert_array_equal(x.value, 0.0)


def _child_runs_a_split_chain(queue):
    _chains.chain_settings(part_work=1000)
    points = np.linspace(-2, 2, N)
    with dn.num_threads(3):
        y = w2(fresh(points))
        y.value                                  # noqa: B018
    expected = eager(lambda: w2(twin(points)))
    queue.put(bool(np.array_equal(y.value, expected.value)
                   and np.array_equal(y.tangent, expected.tangent)))


def test_a_forked_child_starts_its_own_workers(split_small_chains):
    on_threads(3, lambda: w2(fresh(np.linspace(-2, 2, N))))     # the parent has workers
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    child = context.Process(target=_child_runs_a_split_chain, args=(queue,))
    with warnings.catch_warnings():
        # Python >= 3.12 warns when a process with threads (the workers) forks
        warnings.filterwarnings("ignore", "This process .* is multi-threaded", DeprecationWarning)
        child.start()
    try:
        assert queue.get(timeout=120) is True
    finally:
        child.join(timeout=120)
    assert child.exitcode == 0


# --------------------------------------------------------------------------
# the threshold: what the benchmarks' small workloads do stays on one thread


def test_small_chains_stay_on_one_thread_with_the_default_threshold():
    before = split_runs()
    with dn.num_threads(4):
        x = np.linspace(0.1, 2.0, 1000)
        dn.gradient(lambda v: np.sum(100 * (v[1:] - v[:-1] ** 2) ** 2 + (1 - v[:-1]) ** 2), x)
        dn.hessian(lambda v: np.sum(np.sin(v) * v[::-1]), x[:100])
        dn.jacobian(lambda v: np.exp(v) * v - np.roll(v, 1), x[:100])
        y = np.exp(fresh(np.linspace(0, 1, 40_000))) * 2.0      # recorded, but short
        y.value                                  # noqa: B018
    assert split_runs() == before


def test_a_large_chain_is_split_with_the_default_threshold():
    x = np.linspace(-3, 3, 1_000_000)
    before = split_runs()
    with dn.num_threads(2):
        value, derivative = dn.value_and_derivative(w2, x)
    assert split_runs() > before
    with dn.num_threads(1):
        one = dn.value_and_derivative(w2, x)
    assert value.tobytes() == one[0].tobytes() and derivative.tobytes() == one[1].tobytes()


def bidiagonal(u):
    previous = np.concatenate([np.zeros(1), u[:-1]])
    return np.exp(u) * previous + np.sin(u) * 2.0


def bidiagonal_jacobian(x):
    import scipy.sparse
    n = x.size
    pattern = (scipy.sparse.eye(n, format="csr") + scipy.sparse.eye(n, k=-1, format="csr")) != 0
    return dn.jacobian(bidiagonal, x, sparsity=pattern, sparse_output=True).data


API_CALLS = {                                    # each returns a tuple of arrays
    "derivative": lambda x: (dn.derivative(w2, x),),
    "value_and_derivative": lambda x: dn.value_and_derivative(lambda v: np.tanh(v) * np.log1p(v * v), x),
    "jvp": lambda x: dn.jvp(lambda v: np.log(v + 4.0) * v - np.exp(-v), x, np.cos(np.arange(x.size))),
    "sparse jacobian (k = 2)": lambda x: (bidiagonal_jacobian(x),),
}


@pytest.mark.parametrize("name", sorted(API_CALLS))
def test_every_api_call_with_large_arrays_gives_the_same_bits_on_several_threads(split_small_chains, name):
    x = np.linspace(-2.0, 3.0, 120_007)
    before = split_runs()
    with dn.num_threads(4):
        parallel = API_CALLS[name](x)
    assert split_runs() > before
    with dn.num_threads(1):
        single = API_CALLS[name](x)
    assert len(parallel) == len(single)
    for a, b in zip(parallel, single):
        assert a.dtype == b.dtype and a.tobytes() == b.tobytes()


def test_the_derivative_on_several_threads_against_the_hand_derived_one():
    x = np.linspace(-3.0, 3.0, 1_000_001)
    with dn.num_threads(3):
        derivative = dn.derivative(w2, x)
    q = 1 + x * x
    expected = (np.cos(x) * np.exp(-x * x / 2) - x * np.sin(x) * np.exp(-x * x / 2)
                + (2 * x / q) / np.sqrt(q) - np.log(q) * x / q ** 1.5)
    np.testing.assert_allclose(derivative, expected, rtol=1e-13, atol=1e-14)


def test_part_work_must_be_positive():
    with pytest.raises(ValueError, match="part_work must be at least 1"):
        _chains.chain_settings(part_work=0)
