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
    # the DualArray example: d/dx [sin x e^-x + x.x] summed over x's direction
    x, y = namespace["x"], namespace["y"]
    v = x.value
    expected = (np.cos(v) - np.sin(v)) * np.exp(-v) + 2 * np.sum(v)
    np.testing.assert_allclose(y.tangent[..., 0], expected, rtol=1e-14)
