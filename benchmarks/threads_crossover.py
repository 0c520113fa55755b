"""Where splitting a recorded chain over threads starts to pay (the threshold
_PART_WORK of dualnum/_chains.pyx).

For chains of growing work (elements x steps x (k + 1)), the time of running
the chain on one thread and on ``--threads`` threads, every chain split as
far as it goes (part_work=1), interleaved, best of ``--repeat`` runs each (the
best is the least disturbed by other processes on a shared machine).  The
crossover is the least work from which the split run is faster.  First, the
hand-off itself: a chain of two 16-element blocks on one thread and on two
(the difference is waking a worker and waiting for it), medians of 2000.

    python benchmarks/threads_crossover.py [--threads 2] [--repeat 30]
"""
import argparse
import time

import numpy as np

import dualnum as dn
from dualnum import _array, _chains


def chain(x):
    """Four steps: a cheap and an expensive unary, two binaries."""
    return np.exp(np.sin(x) * 0.5) + x


STEPS = 4


def best_time(m, k, threads, repeat):
    values = np.linspace(-1.0, 1.0, m)
    tangent = np.ones((m, k))
    best = float("inf")
    with dn.num_threads(threads):
        for _ in range(repeat):
            y = chain(_array.wrap(values.copy(), tangent.copy(), 1, True))
            start = time.perf_counter()
            y.value                              # noqa: B018 (runs the chain)
            best = min(best, time.perf_counter() - start)
    return best


def handoff(reps=2000):
    """Median time of a two-block chain on 1 and on 2 threads (seconds)."""
    previous = _chains.chain_settings(chain_bytes=256)      # 16-element blocks
    values, tangent = np.linspace(0.0, 1.0, 32), np.ones((32, 1))
    medians = []
    try:
        for threads in (1, 2):
            times = []
            with dn.num_threads(threads):
                for _ in range(reps):
                    y = np.sin(_array.wrap(values.copy(), tangent.copy(), 1, True)) * 2.0
                    start = time.perf_counter()
                    y.value                      # noqa: B018
                    times.append(time.perf_counter() - start)
            medians.append(float(np.median(times)))
    finally:
        _chains.chain_settings(*previous)
    return medians


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--k", type=int, default=1)
    args = parser.parse_args()
    previous = _chains.chain_settings(defer_entries=1, part_work=1)
    try:
        one, two = handoff()
        print(f"hand-off: a two-block chain takes {one * 1e6:.1f} us on 1 thread, "
              f"{two * 1e6:.1f} us on 2 (medians)")
        print(f"{'elements':>9} {'work':>10} {'1 thread':>10} {f'{args.threads} threads':>10} {'ratio':>6}")
        for m in (2**12, 2**13, 2**14, 2**15, 2**16, 2**17, 2**18, 2**20):
            one = split = float("inf")
            for _ in range(3):                   # interleaved: drift hits both
                one = min(one, best_time(m, args.k, 1, args.repeat))
                split = min(split, best_time(m, args.k, args.threads, args.repeat))
            work = m * STEPS * (args.k + 1)
            print(f"{m:>9} {work:>10} {one * 1e6:>8.0f}us {split * 1e6:>8.0f}us {split / one:>6.2f}")
    finally:
        _chains.chain_settings(*previous)


if __name__ == "__main__":
    main()
