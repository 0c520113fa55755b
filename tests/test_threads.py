"""Dual numbers and the API are safe to use from several threads at once."""
import math
import threading

import numpy as np

import dualnum as dn


def test_concurrent_derivatives_and_gradients_agree_with_serial_ones():
    points = [0.1 * i for i in range(200)]
    f = lambda x: dn.sin(x) * dn.exp(-x * x / 2)
    expected = [math.cos(x) * math.exp(-x * x / 2) - x * math.sin(x) * math.exp(-x * x / 2) for x in points]
    shared = dn.Dual(0.5, (1.0, 2.0))           # one immutable dual read by every thread
    errors = []

    def work(offset):
        try:
            for i in range(len(points)):
                j = (i + offset) % len(points)
                assert math.isclose(dn.derivative(f, points[j]), expected[j], rel_tol=1e-13, abs_tol=1e-15)
                g = dn.gradient(lambda v: v[0] * v[1] + v[1], np.array([points[j], 2.0]))
                np.testing.assert_allclose(g, [2.0, points[j] + 1.0], rtol=1e-15)
                assert (shared * shared).partials == (1.0, 2.0)
        except Exception as exc:                  # reported in the main thread
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(k * 37,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors[0]
