"""Tests of docs/_ext/dualnum_docs.py, the checks the documentation's build relies on.

Run by .ci/run after the docs extra is installed (Sphinx is not a test dependency):
    pytest docs/test_extension.py
"""
import importlib.util
import pathlib
import sys
import types

import pytest
from sphinx.errors import ExtensionError

sys.path.insert(0, str(pathlib.Path(__file__).parent / "_ext"))
import dualnum_docs  # noqa: E402

import dualnum  # noqa: E402


def environment(documented):
    """A stand-in for Sphinx's environment whose Python domain holds `documented`."""
    domain = types.SimpleNamespace(objects={f"dualnum.{name}": None for name in documented})
    return types.SimpleNamespace(get_domain=lambda name: domain)


def test_the_build_fails_when_a_public_name_is_undocumented():
    dualnum_docs.check_api_complete(None, environment(dualnum.__all__))
    missing = ["hypot", "jvp"]
    with pytest.raises(ExtensionError, match="missing from the API reference: hypot, jvp$"):
        dualnum_docs.check_api_complete(None, environment(set(dualnum.__all__) - set(missing)))


@pytest.mark.parametrize("block", ["```python\nx = 1\n```", "```pycon\n>>> 1\n1\n```",
                                   ".. code-block:: python\n\n   x = 1"])
def test_a_python_block_that_is_not_run_fails_the_build(block):
    with pytest.raises(ExtensionError, match="page, line 3: a Python block that is not run"):
        dualnum_docs.reject_unchecked_python(None, "page", [f"# Title\n\n{block}\n"])


@pytest.mark.parametrize("block", ["```{doctest}\n>>> 1\n1\n```", "```bash\npip install .\n```"])
def test_checked_and_non_python_blocks_pass(block):
    dualnum_docs.reject_unchecked_python(None, "page", [f"# Title\n\n{block}\n"])


def test_the_performance_table_shows_what_run_py_measured():
    results = {"date": "2026-12-05T22:12:09+00:00", "commit": "565ff2c13aef1e4a", "machine": "2 CPUs",
               "python": "3.11.7", "numpy": "2.4.6", "rows": [
                   {"workload": "W3", "size": "n=10", "baseline": "numpy f", "peers": "2.7 / 4 / 1.2",
                    "failed": False, "baseline_seconds": 2.5e-5, "dualnum_seconds": 5.5e-5, "ratio": 2.2,
                    "ratio_iqr": [2.1, 2.3], "ratio_min_max": [1.9, 3.0], "rounds": 51},
                   {"workload": "W6", "size": "order 3", "baseline": "float g", "peers": "— / 6.3 / 38",
                    "failed": True}]}
    lines = dualnum_docs.performance_table(results).splitlines()
    assert lines[2] == "| W3 n=10 (numpy f) | 25 µs | 55 µs | 2.2 | 2.1–2.3 | 2.7 / 4 / 1.2 |"
    assert lines[3] == "| W6 order 3 (float g) |  |  | FAILED |  | — / 6.3 / 38 |"
    assert lines[5] == ("Measured 2026-12-05 22:12 UTC on 2 CPUs, Python 3.11.7, numpy 2.4.6, "
                        "at commit `565ff2c13a`; 51 rounds a row.")


def test_the_elementary_entries_keep_their_docstrings_as_plain_text():
    match = dualnum_docs.ELEMENTARY_DOC.match(dualnum.copysign.__doc__)
    assert match.group(1, 2) == ("copysign", "(a, b)")
    assert match.group(3).startswith("|a| with the sign of b")


def test_each_elementary_function_gets_its_own_checked_example():
    lines = dualnum_docs.elementary_example("atan2", {"y": 0.5, "x": 2.0})
    assert lines[2:4] == ["   >>> # the value, then d/dy and d/dx",
                          "   >>> dn.atan2(dn.Dual(0.5, (1.0, 0.0)), dn.Dual(2.0, (0.0, 1.0)))"]
    assert lines[4] == f"   {dualnum.atan2(dualnum.Dual(0.5, (1.0, 0.0)), dualnum.Dual(2.0, (0.0, 1.0)))!r}"


def test_an_example_with_a_wrong_derivative_fails_the_build(monkeypatch):
    def sine_with_a_wrong_slope(x):
        if isinstance(x, dualnum.Dual):
            return dualnum.Dual(dualnum.sin(x.value), 2.0 * dualnum.cos(x.value) * x.partials[0])
        return dualnum.sin(x)
    monkeypatch.setattr(dualnum, "wrong_sin", sine_with_a_wrong_slope, raising=False)
    with pytest.raises(ValueError, match=r"dualnum.wrong_sin at \(0.5,\): partial 0 is 1.75"):
        dualnum_docs.elementary_example("wrong_sin", {"x": 0.5})


def test_the_numpy_coverage_report_classifies_by_calling():
    spec = importlib.util.spec_from_file_location(
        "numpy_coverage", pathlib.Path(__file__).parent / "numpy_coverage.py")
    coverage = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(coverage)
    records = {r["names"][0]: r for r in coverage.coverage()}
    assert (records["sin"]["order1"], records["sin"]["order2"]) == ("compiled", "compiled")
    assert records["add"]["methods1"]["reduce"] == "compiled"      # np.add.reduce is np.sum
    assert (records["isnan"]["order1"], records["isnan"]["order2"]) == ("values", "values")
    assert records["gcd"]["reason"] == "takes no float64 input (integers, bits, dates)"
    assert records["ldexp"]["reason"] is None                           # "di->d"
    assert records["save"]["reason"] == "reads or writes files"
    assert records["sum"]["order1"] == "compiled" and "linalg.norm" in records
    markdown = coverage.markdown(list(records.values()))
    assert "| `sin` | compiled | compiled |" in markdown
