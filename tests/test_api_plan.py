"""The API's internal contracts: the plan is chosen from the point up front
(dualnum/_plan.py, dualnum/_points.py), f's result has one reader with one
set of messages (dualnum/_read.pyx), and the layers import one way."""
import ast
import pathlib
import re

import numpy as np
import pytest

import dualnum as dn
from dualnum import _plan
from dualnum._points import as_array, as_point

DUALNUM = pathlib.Path(__file__).resolve().parent.parent / "dualnum"   # the sources (a wheel has no .pyx)
# the import layout is read from the source tree, which a wheel's tests (run from a
# directory holding only tests/) do not have
needs_sources = pytest.mark.skipif(not (DUALNUM / "__init__.py").exists(),
                                   reason="needs the source tree's dualnum/")


def _enclosing_numbers():
    """A Dual, a Nested number and a DualArray of a running call, captured from
    inside f, with the float point they stand for."""
    seen = {}

    def outer(x):
        seen["dual"] = x
        seen["array"] = dn.DualArray(np.array([1.0, 2.0]), np.ones((2, 1)))
        dn.derivative(lambda y: seen.setdefault("nested", x * y), 1.0)
        return x
    dn.derivative(outer, 0.5)
    return seen


def test_points_of_an_enclosing_call_choose_the_nested_plan():
    numbers = _enclosing_numbers()
    for point in (numbers["dual"], numbers["nested"], numbers["array"],
                  [1.0, numbers["dual"]], np.array([numbers["dual"], 2.0], dtype=object)):
        assert as_point(point) is _plan.NESTED
        with pytest.raises(TypeError, match="nested differentiation"):
            as_array(point)


@pytest.mark.parametrize("point", [1.5, 3, [1.0, 2.0], np.arange(6).reshape(2, 3), np.float32(2.0)])
def test_real_points_are_float64_arrays(point):
    converted = as_point(point)
    assert converted is not _plan.NESTED
    assert converted.dtype == np.float64 and converted.flags.c_contiguous
    np.testing.assert_array_equal(converted, np.asarray(point, dtype=np.float64))


def test_a_float64_point_is_used_as_it_is():
    point = np.array([1.0, 2.0])
    assert as_point(point) is point


def test_array_plan_follows_the_documented_sizes():
    low, high = _plan.SPARSE_SEEDING
    assert _plan.array_plan(0) is _plan.EMPTY
    assert _plan.array_plan(1) is _plan.ONE_PASS
    assert _plan.array_plan(low - 1) is (_plan.ONE_PASS if low - 1 <= _plan.MAX_CHUNK else _plan.CHUNKS)
    assert _plan.array_plan(low) is _plan.SPARSE
    assert _plan.array_plan(high) is _plan.SPARSE
    assert _plan.array_plan(high + 1) is _plan.CHUNKS


def test_the_nested_plan_gives_what_the_float_point_gives():
    """Inside another call, each API operation at a point of that call's
    numbers agrees with the same operation at the float point (derivatives
    of f(v) = sin(v0) * v1**2 and its pieces, by hand)."""
    def inner(x):
        p = [x, 2.0 * x]                   # an array point of the outer call's numbers
        g = dn.gradient(lambda v: dn.sin(v[0]) * v[1] ** 2, p)
        j = dn.jacobian(lambda v: [v[0] * v[1], v[1]], p)
        _, t = dn.jvp(lambda v: v[0] * v[1], p, [1.0, 0.0])
        d = dn.derivative(lambda v: v * v, p)
        return g[0] + j[0, 0] + t + d[1]

    def by_hand(x):
        v0, v1 = x, 2.0 * x
        return np.cos(v0) * v1 ** 2 + v1 + v1 + 2 * v1

    def d_by_hand(x):
        v0, v1 = x, 2.0 * x
        return (-np.sin(v0) * v1 ** 2 + np.cos(v0) * 2 * v1 * 2) + 2 + 2 + 4

    assert dn.derivative(inner, 0.3) == pytest.approx(d_by_hand(0.3), rel=1e-14)
    assert inner(0.3) == pytest.approx(by_hand(0.3), rel=1e-14)


BAD = ("the function must return a real number, a dual number, or a sequence/ndarray of them; "
       "it returned a str")


@pytest.mark.parametrize("operation", [
    lambda f: dn.derivative(f, 1.0),
    lambda f: dn.derivative(f, [1.0, 2.0]),
    lambda f: dn.value_and_derivative(f, 1.0),
    lambda f: dn.gradient(f, [1.0, 2.0]),
    lambda f: dn.jacobian(f, [1.0, 2.0]),
    lambda f: dn.jacobian(f, np.ones(200)),
    lambda f: dn.jvp(f, [1.0, 2.0], [1.0, 0.0]),
    lambda f: dn.jacobian(f, [1.0, 2.0], sparsity=np.eye(2, dtype=bool)),
    lambda f: dn.derivative(f, 1.0, n=2),
    lambda f: dn.derivatives(f, [1.0, 2.0], 3),
    lambda f: dn.hessian(f, [1.0, 2.0]),
    lambda f: dn.hessian(f, 1.0),
    lambda f: dn.hvp(f, [1.0, 2.0], [1.0, 0.0]),
], ids=["derivative", "elementwise", "value_and_derivative", "gradient", "jacobian",
        "jacobian sparse seeding", "jvp", "jacobian sparsity", "derivative n=2",
        "derivatives", "hessian", "hessian scalar", "hvp"])
def test_one_message_for_a_result_that_is_not_a_number(operation):
    with pytest.raises(TypeError, match=f"^{re.escape(BAD)}$"):
        operation(lambda x: "abc")


# -------------------------------------------------------------- the layers

# the API layer (dualnum/_plan.py's plans, the reader and the operations)
API = {"derivative", "gradient", "jacobian", "hessian", "compose", "primitive", "sparsity", "propagate",
       "laplacian", "divergence",
       "hessian_sparsity",
       "_points", "_argnums", "_forward", "_plan", "_read", "_nested_plan", "_seed",
       "_hessian_pass"}


def _imports(path):
    """The dualnum modules a .py or .pyx file imports (Cython's cimport lines too)."""
    text = path.read_text()
    names = set(re.findall(r"^\s*(?:from|cimport|import)\s+dualnum\.(\w+)", text, re.M))
    for match in re.finditer(r"^\s*from\s+dualnum\s+c?import\s+(\([^)]*\)|[^\n#]+)", text, re.M):
        names |= {part.split()[0] for part in match.group(1).strip("()").split(",") if part.strip()}
    return names


def _modules():
    return {p.stem: _imports(p) for p in DUALNUM.iterdir() if p.suffix in (".py", ".pyx")}


@needs_sources
def test_no_lower_layer_imports_the_api():
    for name, imported in _modules().items():
        if name not in API and name not in ("__init__", "__main__"):
            assert not imported & API, f"{name} imports the API modules {imported & API}"


@needs_sources
def test_the_api_modules_import_no_circle():
    graph = {name: imported & API - {name} for name, imported in _modules().items() if name in API}

    def visit(name, path):
        for other in graph[name]:
            assert other not in path, " -> ".join(path + [other])
            visit(other, path + [other])
    for name in graph:
        visit(name, [name])


@needs_sources
def test_the_import_scan_sees_imports():
    """The scan above reads the three spellings of an import."""
    assert {"_forward", "_plan", "_read", "_nested"} <= _imports(DUALNUM / "derivative.py")
    assert {"_core", "dualarray", "_nested"} <= _imports(DUALNUM / "_read.pyx")
    assert "_array" in _imports(DUALNUM / "_forward.py")


@needs_sources
def test_nesting_keeps_the_number_type_only():
    """The API's nested plan lives in dualnum/_nested_plan.py: the nesting
    modules hold the number type and its object arrays, and dualnum.nesting
    only gives them their public name."""
    arrays = ast.parse((DUALNUM / "_object_arrays.py").read_text())
    defined = {node.name for node in arrays.body if isinstance(node, (ast.FunctionDef, ast.ClassDef))}
    assert {"DualObjects", "apply"} <= defined
    assert "cdef class Nested(Number):" in (DUALNUM / "_nested.pyx").read_text()
    public = ast.parse((DUALNUM / "nesting.py").read_text())
    assert all(isinstance(node, (ast.Expr, ast.ImportFrom, ast.Assign)) for node in public.body)
    api = {"split", "split_result", "value_and_derivative", "extract", "point_array",
           "value_and_jvp", "value_and_jacobian", "_running_tags", "_require_running",
           "_split_many", "_point_elements"}
    assert not defined & api
    assert not {name for name in api if re.search(rf"^(?:cp)?def {name}\b",
                                                  (DUALNUM / "_nested.pyx").read_text(), re.M)}


def _all_imports():
    """The dualnum modules each module imports or cimports (.py, .pyx and .pxd together)."""
    graph = {}
    for path in DUALNUM.iterdir():
        if path.suffix in (".py", ".pyx", ".pxd"):
            graph.setdefault(path.stem, set()).update(_imports(path) - {path.stem})
    return graph


@needs_sources
def test_no_module_imports_a_circle():
    graph = _all_imports()
    done = set()

    def visit(name, path):
        for other in graph.get(name, ()):
            assert other not in path, " -> ".join(path + [other])
            if other not in done:
                visit(other, path + [other])
        done.add(name)
    for name in sorted(graph):
        visit(name, [name])


@needs_sources
def test_nesting_sits_below_dual_and_the_arrays():
    """Dual builds nested numbers by cimporting dualnum/_nested.pyx, which knows
    only the number protocol, the table, the module functions and the object
    arrays: nothing registers a hook at import."""
    graph = _all_imports()
    assert "_nested" in graph["_core"] and "_nested" in graph["_array"]
    assert graph["_nested"] <= {"_number", "_table", "_jets", "_elementary", "_object_arrays"}
    assert graph["_object_arrays"] <= {"_number"}
    assert not any("nesting" in imported for name, imported in graph.items() if name != "__init__")
    for path in DUALNUM.iterdir():
        if path.suffix in (".py", ".pyx"):
            assert not re.search(r"register_nesting|_NESTED_", path.read_text()), path.name


@needs_sources
def test_the_package_imports_nothing_for_its_side_effects():
    tree = ast.parse((DUALNUM / "__init__.py").read_text())
    bound = {alias.asname or alias.name.split(".")[0] for node in tree.body
             if isinstance(node, (ast.Import, ast.ImportFrom)) for alias in node.names}
    used = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    exported = {item.value for node in ast.walk(tree) if isinstance(node, ast.Assign)
                and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets)
                for item in node.value.elts if isinstance(item, ast.Constant)}
    assert bound <= used | exported | {"__version__"}
