"""python -m dualnum: a short tour of what dualnum computes."""
import math

import numpy as np

import dualnum as dn


def main():
    print(f"dualnum {dn.__version__}: exact derivatives of ordinary Python by dual numbers\n")

    # 1. a derivative: f(x) = x sin x, f'(x) = sin x + x cos x
    f = lambda x: x * dn.sin(x)
    x0 = 1.0
    d = dn.derivative(f, x0)
    print("1. derivative of f(x) = x*sin(x) at x = 1")
    print(f"   dualnum      {d:.16f}")
    print(f"   by hand      {math.sin(x0) + x0 * math.cos(x0):.16f}   (sin x + x cos x)")

    # 2. partial derivatives: seed one variable, hold the other constant
    g = lambda x, y: x ** 2 * y + dn.exp(x * y)
    x, y = 1.0, 2.0
    gx, gy = dn.partial(g, (x, y), 0), dn.partial(g, (x, y), 1)
    print("\n2. partial derivatives of g(x, y) = x^2 y + exp(x y) at (1, 2)")
    print(f"   dg/dx = {gx:.12f}   by hand 2xy + y e^(xy) = {2 * x * y + y * math.exp(x * y):.12f}")
    print(f"   dg/dy = {gy:.12f}   by hand x^2 + x e^(xy)  = {x ** 2 + x * math.exp(x * y):.12f}")

    # 3. the chain rule: (outer o inner)'(x) = outer'(inner(x)) * inner'(x)
    r = dn.chain_rule(dn.log, lambda t: 1 + t * t, 2.0)
    print("\n3. chain rule for log(1 + x^2) at x = 2")
    print(f"   outer'(inner(x)) = {r.outer:.12f},  inner'(x) = {r.inner:.12f}")
    print(f"   product = {r.outer * r.inner:.12f},  derivative of the composition = {r.total:.12f}")

    # 4. gradient descent on a small least-squares loss: fit y = a t + b
    t = np.array([0.0, 1.0, 2.0, 3.0])
    target = np.array([1.0, 3.1, 4.9, 7.2])

    def loss(p):
        residual = p[0] * t + p[1] - target
        return np.sum(residual * residual) / len(t)

    p = np.zeros(2)
    print("\n4. gradient descent on a least-squares loss (fit y = a t + b)")
    for step in range(201):
        value, grad = dn.value_and_gradient(loss, p)
        if step % 50 == 0:
            print(f"   step {step:3d}: loss {value:.6f}  a = {p[0]:.4f}  b = {p[1]:.4f}")
        p = p - 0.1 * grad
    exact = np.polyfit(t, target, 1)
    print(f"   least squares by numpy.polyfit: a = {exact[0]:.4f}  b = {exact[1]:.4f}")

    # 5. a Jacobian in one call
    polar = lambda v: [v[0] * dn.cos(v[1]), v[0] * dn.sin(v[1])]
    print("\n5. Jacobian of (r, theta) -> (r cos theta, r sin theta) at (2, pi/6)")
    print("  ", np.array2string(dn.jacobian(polar, [2.0, math.pi / 6]), precision=6).replace("\n", "\n   "))

    # 6. higher derivatives in one pass of Taylor arithmetic (Fike & Alonso's test function)
    h = lambda x: dn.exp(x) / dn.sqrt(dn.sin(x) ** 3 + dn.cos(x) ** 3)
    published = [4.0534278938986207, 9.4630736815966034, 32.167904513688941]
    print("\n6. derivatives 1-3 of exp(x)/sqrt(sin(x)^3 + cos(x)^3) at x = 1.5")
    for n, (d, ref) in enumerate(zip(dn.derivatives(h, 1.5, 3)[1:], published), start=1):
        print(f"   order {n}: {d:.14f}   published {ref:.14f}")
    print(f"   20th derivative of exp(2x) at 0: {dn.derivative(lambda x: dn.exp(2 * x), 0.0, n=20):.0f}"
          f" = 2**20 = {2 ** 20}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
