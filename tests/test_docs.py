"""The documentation is executable: docstring examples and the README quickstart."""
import doctest
import importlib
import pathlib
import re

import numpy as np
import pytest

MODULES = ["dualnum", "dualnum._core", "dualnum._taylor", "dualnum._second", "dualnum.hessian",
           "dualnum.derivative", "dualnum.gradient",
           "dualnum.jacobian", "dualnum.primitive", "dualnum.compose", "dualnum.dualarray",
           "dualnum.sparsity"]
README = pathlib.Path(__file__).resolve().parent.parent / "README.md"


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0


def test_every_public_function_has_an_example_or_a_formula():
    import dualnum as dn
    for name in dn.__all__:
        doc = getattr(dn, name).__doc__ or ""
        assert doc.strip(), f"dualnum.{name} has no docstring"


def test_readme_examples_run():
    text = README.read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    assert blocks, "the README has no python example"
    namespace = {}
    for block in blocks:
        exec(compile(block, "README.md", "exec"), namespace)
    dn = namespace["dn"]
    # the quickstart's claims, checked
    assert namespace["r"].total == pytest.approx(namespace["r"].outer * namespace["r"].inner, rel=1e-15)
    assert dn.partial(namespace["f"], (1.0, 2.0), 0) == pytest.approx(4 + 2 * 2.718281828459045 ** 2,
                                                                      rel=1e-14)
    # the gradient step: the loss's gradient, by hand, at p = 0 (the step taken is -0.1 times it)
    t, target = namespace["t"], namespace["target"]
    by_hand = [-2 * np.mean(t * target), -2 * np.mean(target)]
    np.testing.assert_allclose(namespace["grad"], by_hand, rtol=1e-14)
    np.testing.assert_allclose(namespace["p"], -0.1 * namespace["grad"], rtol=0, atol=0)
    # the DualArray example moved to docs/user-guide.md, whose doctest checks its tangent against
    # (cos x - sin x) e^-x + 2 sum(x) (sphinx-build -b doctest, run by .ci/run)
