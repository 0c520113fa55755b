"""Option Greeks over many parameter sets, on a Dask cluster.

Forward mode splits cleanly over points, so dualnum needs no scheduler of its
own: ``dask.array.map_blocks`` hands each worker process a chunk of indices,
the worker builds that chunk's Black-Scholes parameter sets, differentiates the
call price on whole arrays (``dn.value_and_derivative`` and ``dn.derivatives``
seed every element at once) and returns a plain float64 ndarray of (price, delta, gamma, vega).  The
client only sums the Greeks of the portfolio and the largest deviation from the
closed forms, so nothing large travels back.

Run it small (the default, a few seconds) or large::

    python dask_greeks.py                                       # 10**5 points in 2.5*10**4-point chunks
    python dask_greeks.py --points 100000000 --chunk 1000000   # 10**8 points in 10**6-point chunks

It needs the ``distributed`` extra: ``pip install 'dualnum[distributed]'``.
This page is not run when the documentation is built (it starts a cluster of
processes); the timings below were measured on a shared two-core machine,
wall time of the computation only (the cluster is started before the clock):

==========  ==========  ========  ==========
points      chunk       workers   wall time
==========  ==========  ========  ==========
10**5       2.5*10**4   1         1.18 s
10**5       2.5*10**4   2         1.16 s
10**8       10**6       1         296 s
10**8       10**6       2         155 s
==========  ==========  ========  ==========

In the small default run scheduling, not arithmetic, dominates, and the
machine was shared with other builds, so the second core was not free.  The
10**8-point run (100 tasks) scales with the workers: 1.9 times faster on two;
its Greeks matched the closed forms to 1.8e-14 (vega's largest deviation).
The one-worker run shared the machine with a documentation build for about
two of its five minutes, so the speed-up on an idle machine is somewhat less.
"""
import argparse
import math
import time

import numpy as np

import dualnum as dn

GREEKS = ("price", "delta", "gamma", "vega")
GOLDEN = (math.sqrt(5.0) - 1.0) / 2.0


def parameter_sets(index):
    """Spot, strike, rate, volatility and maturity of the options numbered ``index``.

    Computed from the numbers alone (a golden-ratio sequence), so a worker
    builds its own chunk and the inputs never travel over the network.
    """
    u = np.modf(index * GOLDEN)[0]
    w = np.modf(index * GOLDEN * GOLDEN)[0]
    spot = 50.0 + 100.0 * u
    strike = 60.0 + 80.0 * w
    rate = 0.01 + 0.04 * np.modf(u + w)[0]
    volatility = 0.1 + 0.4 * np.modf(2.0 * u + w)[0]
    maturity = 0.1 + 2.0 * np.modf(u + 2.0 * w)[0]
    return spot, strike, rate, volatility, maturity


def normal_cdf(x):
    return 0.5 * dn.erfc(-x / math.sqrt(2.0))


def call_price(spot, strike, rate, volatility, maturity):
    """Black-Scholes price of a European call; every argument may be an array."""
    root_t = np.sqrt(maturity)
    d1 = (dn.log(spot / strike) + (rate + 0.5 * volatility * volatility) * maturity) / (volatility * root_t)
    d2 = d1 - volatility * root_t
    return spot * normal_cdf(d1) - strike * np.exp(-rate * maturity) * normal_cdf(d2)


def greeks_block(index):
    """(len(index), 4) array of price, delta, gamma, vega: what a worker returns."""
    spot, strike, rate, volatility, maturity = parameter_sets(index)

    def price_of_spot(s):
        return call_price(s, strike, rate, volatility, maturity)

    def price_of_volatility(v):
        return call_price(spot, strike, rate, v, maturity)

    price, vega = dn.value_and_derivative(price_of_volatility, volatility)
    # gamma is a second derivative: one Taylor pass gives value, delta and gamma
    # (nesting derivative in derivative would work too, but element by element)
    _, delta, gamma = dn.derivatives(price_of_spot, spot, 2)
    return np.stack([price, delta, gamma, vega], axis=1)


def closed_form_block(index):
    """The same four columns from the textbook formulas, as a check."""
    spot, strike, rate, volatility, maturity = parameter_sets(index)
    root_t = np.sqrt(maturity)
    d1 = (np.log(spot / strike) + (rate + 0.5 * volatility ** 2) * maturity) / (volatility * root_t)
    density = np.exp(-0.5 * d1 * d1) / math.sqrt(2.0 * math.pi)
    price = call_price(spot, strike, rate, volatility, maturity)
    delta = normal_cdf(d1)
    gamma = density / (spot * volatility * root_t)
    vega = spot * density * root_t
    return np.stack([price, delta, gamma, vega], axis=1)


def greeks(points, chunk):
    """A lazy (points, 4) dask array of the Greeks, one task per chunk."""
    import dask.array as da

    index = da.arange(points, chunks=chunk, dtype=np.float64)
    return index.map_blocks(greeks_block, new_axis=1, chunks=(index.chunks[0], (len(GREEKS),)),
                            dtype=np.float64)


def sweep(points, chunk):
    """Lazy portfolio totals of the Greeks and the largest relative deviation
    from the closed forms (per Greek), both reduced on the workers."""
    import dask.array as da

    index = da.arange(points, chunks=chunk, dtype=np.float64)
    shape = dict(new_axis=1, chunks=(index.chunks[0], (len(GREEKS),)), dtype=np.float64)
    ours = index.map_blocks(greeks_block, **shape)
    exact = index.map_blocks(closed_form_block, **shape)
    deviation = abs(ours - exact) / (1.0 + abs(exact))
    return ours.sum(axis=0), deviation.max(axis=0)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--points", type=int, default=100_000, help="parameter sets (default 10**5)")
    parser.add_argument("--chunk", type=int, default=25_000, help="points per task (default 2.5*10**4)")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="cluster sizes to time")
    args = parser.parse_args()

    from dask import compute
    from distributed import Client, LocalCluster

    for workers in args.workers:
        with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                          dashboard_address=":0") as cluster, Client(cluster):
            start = time.perf_counter()
            totals, deviation = compute(*sweep(args.points, args.chunk))
            seconds = time.perf_counter() - start
        print(f"{args.points} points in chunks of {args.chunk}, {workers} worker(s): {seconds:.2f} s")
        for name, total, off in zip(GREEKS, totals, deviation):
            print(f"    {name:5}  portfolio total {total: .6e}   largest deviation {off:.1e}")
        assert deviation.max() < 1e-12, deviation


if __name__ == "__main__":
    main()
