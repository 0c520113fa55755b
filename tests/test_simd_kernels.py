"""The vector kernels of the one-direction loops (dualnum/_simd.pyx), on
every dispatch path this machine runs: values and derivatives against mpmath
within the bounds docs/performance.md states, at random and edge arguments;
the scalar rules' conventions where a result is not finite; and the
DUALNUM_SIMD switch."""
import os
import subprocess
import sys
import warnings

import mpmath
import numpy as np
import pytest

import dualnum as dn
from dualnum import _simd

mpmath.mp.prec = 200

# the bounds of docs/performance.md, in units in the last place of the exact
# result: (value, derivative)
BOUNDS = {"sin": (1.0, 1.0), "cos": (1.0, 1.0), "exp": (1.0, 1.0), "log": (1.0, 0.5)}

EXACT = {   # (value, derivative) in mpmath
    "sin": (mpmath.sin, mpmath.cos),
    "cos": (mpmath.cos, lambda x: -mpmath.sin(x)),
    "exp": (mpmath.exp, mpmath.exp),
    "log": (mpmath.log, lambda x: 1 / x),
}


@pytest.fixture(params=_simd.available())
def path(request):
    previous = _simd.use(request.param)
    yield request.param
    _simd.use(previous)


def ulps(computed, exact):
    """|computed - exact| in units of the spacing of doubles at exact (the
    smallest subnormal for results that underflow)."""
    errors = []
    for c, e in zip(computed, exact):
        e_double = float(e)
        if not np.isfinite(e_double):      # beyond the doubles: rounds to inf
            errors.append(0.0 if c == e_double else np.inf)
            continue
        if e_double == 0.0 and e == 0:
            errors.append(0.0 if c == 0.0 else np.inf)
            continue
        spacing = np.spacing(abs(e_double)) if e_double != 0.0 else 5e-324
        errors.append(float(abs(mpmath.mpf(float(c)) - e) / mpmath.mpf(spacing)))
    return np.array(errors)


def random_arguments(name, n, seed):
    rng = np.random.default_rng(seed)
    if name in ("sin", "cos"):
        return np.concatenate([rng.uniform(-10, 10, n // 2),
                               rng.uniform(-1e6, 1e6, n // 4),
                               np.ldexp(rng.uniform(0.5, 1, n - n // 2 - n // 4),
                                        rng.integers(-60, 1000, n - n // 2 - n // 4))])
    if name == "exp":
        return rng.uniform(-745, 709.7, n)
    return np.ldexp(rng.uniform(0.5, 1, n), rng.integers(-1070, 1024, n))    # log


def check_within_bounds(name, x, value, deriv, tangent=1.0):
    f, df = EXACT[name]
    exact_values = [f(mpmath.mpf(float(a))) for a in x]
    exact_derivs = [df(mpmath.mpf(float(a))) * mpmath.mpf(tangent) for a in x]
    value_bound, deriv_bound = BOUNDS[name]
    worst_value = ulps(value, exact_values).max()
    # with a seed t != 1 the tangent is the derivative (relative error at most
    # bound * 2**-52) times t, rounded once more (2**-53): at most 2 bound + 1
    # ulps of the result, whose spacing is at least |result| * 2**-53
    if tangent != 1.0:
        deriv_bound = 2 * deriv_bound + 1
    worst_deriv = ulps(deriv, exact_derivs).max()
    assert worst_value <= value_bound, (name, worst_value)
    assert worst_deriv <= deriv_bound, (name, worst_deriv)


@pytest.mark.parametrize("name", sorted(EXACT))
def test_random_arguments_within_the_bound(path, name):
    x = random_arguments(name, 600, seed=len(name))
    value, deriv = dn.value_and_derivative(getattr(np, name), x)
    check_within_bounds(name, x, value, deriv)


@pytest.mark.parametrize("name", sorted(EXACT))
def test_a_seed_other_than_one_scales_the_tangent(path, name):
    # d/dx f(3 x) = 3 f'(3 x): the kernels multiply by the incoming tangent
    x = random_arguments(name, 101, seed=7) / 3
    value, deriv = dn.value_and_derivative(lambda y: getattr(np, name)(3 * y), x)
    check_within_bounds(name, 3 * x, value, deriv, tangent=3.0)


EDGES = {
    "sin": [0.0, -0.0, 5e-324, -5e-324, 2.2250738585072014e-308, 1e-300, np.pi, 1e15, 1e22,
            -1e300, 1.7976931348623157e308],
    "cos": [0.0, -0.0, 5e-324, 1e-300, np.pi / 2, 1e15, 1e22, -1e300, 1.7976931348623157e308],
    "exp": [0.0, -0.0, 5e-324, 1e-300, 709.78, -708.39, -745.13, -744.0, -740.0, 1.0, -1.0],
    "log": [1.0, np.nextafter(1.0, 2.0), np.nextafter(1.0, 0.0), 1 + 1e-10, 1 - 1e-10,
            5e-324, 2.2250738585072014e-308, 1.7976931348623157e308, np.e],
}


@pytest.mark.parametrize("name", sorted(EXACT))
def test_edge_arguments_within_the_bound(path, name):
    x = np.array(EDGES[name])
    value, deriv = dn.value_and_derivative(getattr(np, name), x)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")   # mpmath's exact values include ones that overflow doubles
        check_within_bounds(name, x, value, deriv)


def test_the_sign_of_zero_is_kept(path):
    x = np.array([-0.0, 0.0, -0.0, 0.0, -0.0])
    value, _ = dn.value_and_derivative(np.sin, x)
    np.testing.assert_array_equal(np.signbit(value), np.signbit(x))
    # cos' = -sin: -0.0 at +0.0, +0.0 at -0.0, as the scalar rule
    _, deriv = dn.value_and_derivative(np.cos, x)
    np.testing.assert_array_equal(np.signbit(deriv), ~np.signbit(x))


def scalar_path(f, x):
    previous = _simd.use("scalar")
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            result = dn.value_and_derivative(f, x)
        return result, [str(w.message) for w in caught]
    finally:
        _simd.use(previous)


NON_FINITE = {
    "sin": [1.0, np.inf, -np.inf, np.nan, 2.0, 3.0, 4.0, 5.0, 6.0],
    "cos": [np.nan, 1.0, np.inf, 2.0, 3.0],
    "exp": [1.0, 709.79, 710.0, -np.inf, np.inf, np.nan, 2.0, 3.0, 4.0],
    "log": [1.0, 0.0, -0.0, -1.0, np.inf, np.nan, 2.0, 3.0, 4.0, 5.0],
}


@pytest.mark.parametrize("name", sorted(EXACT))
def test_non_finite_results_follow_the_scalar_rules(path, name):
    # any inf or nan in a call reruns the careful loop over it: the same
    # non-finite values, strong zeros and warnings about non-finite results
    # from finite inputs as the scalar rules; the finite results are the
    # kernel's, as without the non-finite neighbours
    x = np.array(NON_FINITE[name])
    f = getattr(np, name)
    (expected_value, expected_deriv), expected_warnings = scalar_path(f, x)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        value, deriv = dn.value_and_derivative(f, x)
    for got, expected in ((value, expected_value), (deriv, expected_deriv)):
        finite = np.isfinite(expected)
        np.testing.assert_array_equal(got[~finite], expected[~finite])
        np.testing.assert_array_max_ulp(got[finite], expected[finite], maxulp=2)
    assert [str(w.message) for w in caught] == expected_warnings
    alone_value, alone_deriv = dn.value_and_derivative(f, x[np.isfinite(expected_value)])
    np.testing.assert_array_equal(value[np.isfinite(expected_value)], alone_value)
    np.testing.assert_array_equal(deriv[np.isfinite(expected_value)], alone_deriv)


def test_every_length_and_tail(path):
    # lengths around each vector width: the tail goes through the same
    # kernel, so an element's result does not depend on its position
    rng = np.random.default_rng(3)
    x = rng.uniform(-3, 3, 40)
    full_value, full_deriv = dn.value_and_derivative(np.sin, x)
    for m in range(1, 20):
        value, deriv = dn.value_and_derivative(np.sin, x[:m])
        np.testing.assert_array_equal(value, full_value[:m])
        np.testing.assert_array_equal(deriv, full_deriv[:m])


def test_w2_function_against_its_closed_form(path):
    # the benchmark's W2: a recorded chain of sin, exp, log and sqrt
    x = np.linspace(-3, 3, 20_001)

    def f(x):
        return np.sin(x) * np.exp(-x * x / 2) + np.log(1 + x * x) / np.sqrt(1 + x * x)

    def f_prime(x):
        s = 1 + x * x
        return (np.cos(x) - x * np.sin(x)) * np.exp(-x * x / 2) \
            + (2 * x / s) / np.sqrt(s) - np.log(s) * x / s ** 1.5

    value, deriv = dn.value_and_derivative(f, x)
    np.testing.assert_allclose(value, f(x), rtol=1e-14, atol=1e-15)
    np.testing.assert_allclose(deriv, f_prime(x), rtol=1e-12, atol=1e-14)
    # and central differences, which could fail if the tangent were wrong
    h = 1e-6
    np.testing.assert_allclose(deriv, (f(x + h) - f(x - h)) / (2 * h), rtol=1e-6, atol=1e-8)


def test_more_directions_and_nesting_agree_with_one_direction(path):
    # the gradient (k > 1 directions: scalar rules) and a nested second
    # derivative see the same functions as the one-direction kernels
    x = np.array([0.3, -1.2, 2.5])
    g = dn.gradient(lambda v: np.sum(np.sin(v) * np.exp(v) + np.cos(v) * np.log(2 + v)), x)
    _, d = dn.value_and_derivative(lambda v: np.sin(v) * np.exp(v) + np.cos(v) * np.log(2 + v), x)
    np.testing.assert_allclose(g, d, rtol=1e-14, atol=0)
    second = dn.derivative(lambda v: dn.derivative(np.sin, v), x)
    np.testing.assert_allclose(second, -np.sin(x), rtol=1e-15)


def test_the_paths_reported():
    assert _simd.active() in _simd.available()
    assert _simd.available()[0] == "scalar"
    assert set(_simd.available()) <= set(_simd.compiled()) <= set(_simd.PATHS)


def _linux_cpu_flags():
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("flags"):
                    return set(line.split(":", 1)[1].split())
    except OSError:
        pass
    return None


@pytest.mark.skipif(_linux_cpu_flags() is None or "sse2" not in (_linux_cpu_flags() or ()),
                    reason="the CPU's flags are read from Linux's /proc/cpuinfo on x86-64")
def test_the_paths_found_are_those_the_kernel_reports():
    # the import reads cpuid and xgetbv itself; Linux lists a flag only where
    # the CPU has it and the kernel saves its registers
    flags = _linux_cpu_flags()
    expected = {"avx2": {"avx2", "fma"} <= flags, "avx512": "avx512f" in flags}
    for name, supported in expected.items():
        if name in _simd.compiled():
            found = sorted(flags & {"avx2", "fma", "avx512f"})
            assert (name in _simd.available()) == supported, (name, found)


def test_use_refuses_unknown_and_unsupported_paths():
    with pytest.raises(ValueError, match="unknown SIMD path 'sse9'.*scalar, baseline, avx2, avx512"):
        _simd.use("sse9")
    for name in set(_simd.PATHS) - set(_simd.available()):
        with pytest.raises(RuntimeError, match=f"{name!r}"):
            _simd.use(name)


def import_with(value):
    env = dict(os.environ, DUALNUM_SIMD=value)
    return subprocess.run([sys.executable, "-c", "import dualnum._simd as s; print(s.active())"],
                          env=env, capture_output=True, text=True, cwd=os.path.dirname(__file__))


def test_the_environment_variable_forces_a_path_or_is_refused():
    for name in _simd.PATHS:
        run = import_with(name)
        if name in _simd.available():
            assert run.returncode == 0, run.stderr
            assert run.stdout.strip() == name
        else:
            assert run.returncode != 0
            assert f"DUALNUM_SIMD={name}" in run.stderr and "choose one of" in run.stderr
    run = import_with("fastest")
    assert run.returncode != 0
    assert "DUALNUM_SIMD=fastest" in run.stderr and "unknown SIMD path" in run.stderr
    run = import_with("")
    assert run.stdout.strip() == _simd.available()[-1]
