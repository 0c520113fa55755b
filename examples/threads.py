"""Threads: a million-point derivative on every core, the same bits.

``dn.value_and_derivative`` of numpy code on a large array records the
elementwise operations and runs them as one chain, block by block; the
blocks are shared between threads, one per physical core by default.  Here
the same derivative runs on 1, 2, ... threads (``dn.num_threads``): the
results are bitwise equal, and the time per call shows what the cores give
(on a machine whose other cores are busy with other work, less than on an
idle one).
"""
import time

import matplotlib.pyplot as plt
import numpy as np

import dualnum as dn


def f(x):
    return np.sin(x) * np.exp(-x * x / 2) + np.log(1 + x * x) / np.sqrt(1 + x * x)


x = np.linspace(-3.0, 3.0, 1_000_000)
with dn.num_threads(1):
    reference = dn.value_and_derivative(f, x)

counts = sorted({1, 2, dn.get_num_threads()})
best = []
for n in counts:
    with dn.num_threads(n):
        value, derivative = dn.value_and_derivative(f, x)
        times = []
        for _ in range(5):
            start = time.perf_counter()
            dn.value_and_derivative(f, x)
            times.append(time.perf_counter() - start)
    same = np.array_equal(value, reference[0]) and np.array_equal(derivative, reference[1])
    best.append(min(times))
    print(f"{n} thread(s): {best[-1] * 1e3:6.1f} ms a call, bitwise equal to 1 thread: {same}")
print("default thread count (physical cores):", dn.get_num_threads())

fig, ax = plt.subplots(figsize=(5, 3.5))
ax.bar(range(len(counts)), [t * 1e3 for t in best], color="tab:blue")
ax.set_xticks(range(len(counts)), [str(n) for n in counts])
ax.set_xlabel("threads (dn.num_threads)")
ax.set_ylabel("ms per value_and_derivative")
ax.set_title("f on 10⁶ points: best of 5 calls")
fig.tight_layout()
plt.show()
