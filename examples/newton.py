"""Newton's method with exact derivatives: solve cos(x) = x."""
import dualnum as dn


def newton(f, x, tol=1e-14, max_steps=50):
    """Find a root of f from x; each step needs f(x) and f'(x) together."""
    for step in range(max_steps):
        value, slope = dn.value_and_derivative(f, x)
        print(f"step {step}: x = {x:.16f}  f(x) = {value: .3e}")
        if abs(value) < tol:
            return x
        x = x - value / slope
    raise RuntimeError("Newton's method did not converge")


if __name__ == "__main__":
    root = newton(lambda x: dn.cos(x) - x, 1.0)
    print(f"root of cos(x) - x: {root!r}")
