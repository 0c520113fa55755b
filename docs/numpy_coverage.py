"""Which of numpy's public callables differentiate, at each order.

    python docs/numpy_coverage.py            # the summary and every refused callable
    python docs/numpy_coverage.py --markdown # the tables the documentation publishes

Walks ``numpy``, ``numpy.linalg`` and ``numpy.fft`` and gives each public
callable (ufuncs, functions; not classes) a status at each order:

* order 1, the DualArray of ``gradient``, ``jacobian`` and ``jvp``:
  **compiled** (dualnum has a rule for it), **values** (it only reads the
  values and returns plain results, e.g. ``argmax``), **like=** (a
  constructor: with ``like=x`` it builds a dual array of x's kind) or
  **refused** (a TypeError naming it);
* order 2, the second-order array of ``hessian`` and ``hvp``: **compiled**,
  **values**, or **fallback**: hessian evaluates f again on an object array of
  second-order numbers, which works where numpy's own code for the call runs
  on Python objects (arithmetic, indexing), and raises otherwise.

Ufuncs and their methods (``reduce``, ``accumulate``, ``outer``, ``at``) are
called on a small array of each order; other functions are looked up in each
order's table of numpy functions and in the table of ``like=``
constructors.  Callables that take no float data (files, printing, dtypes,
dates, integer bit operations, index construction) are listed apart as not
applicable, with the reason.  The documentation's build
runs this (docs/_ext/dualnum_docs.py), so the published page is this build's.
"""
import argparse
import sys
import types

import numpy as np

import dualnum as dn
from dualnum._functions_values import LIKE_FUNCTIONS

NAMESPACES = (("np", np), ("np.linalg", np.linalg), ("np.fft", np.fft))
METHODS = ("reduce", "accumulate", "outer", "at")

# Callables that take no float array to differentiate, by reason.
NOT_APPLICABLE = {
    "reads or writes files": "load save savetxt savez savez_compressed loadtxt genfromtxt fromfile "
                             "fromregex fromstring frombuffer from_dlpack",
    "formats or prints": "array2string array_repr array_str base_repr binary_repr format_float_positional "
                         "format_float_scientific get_printoptions set_printoptions printoptions "
                         "getbufsize setbufsize info show_config show_runtime test get_include typename",
    "sets numpy's error handling": "seterr geterr seterrcall geterrcall",
    "works on dtypes or types": "can_cast common_type isdtype issubdtype min_scalar_type mintypecode "
                                "promote_types result_type isscalar iterable",
    "works on dates": "busday_count busday_offset is_busday datetime_as_string datetime_data",
    "works on integer bits": "packbits unpackbits",
    "builds indices from shapes": "diag_indices diag_indices_from indices ix_ mask_indices "
                                  "ravel_multi_index tril_indices tril_indices_from triu_indices "
                                  "triu_indices_from unravel_index nested_iters broadcast_shapes",
    "makes arrays from no data (the like= constructors are covered apart)":
        "bartlett blackman hamming hanning kaiser tri fftfreq rfftfreq",
    "returns a Python function, not an array": "frompyfunc",
}
_NOT_APPLICABLE = {name: reason for reason, names in NOT_APPLICABLE.items() for name in names.split()}


def public_callables():
    """(label, object, [names]) per callable object, aliases grouped, in namespace order."""
    seen = {}
    for prefix, module in NAMESPACES:
        for name in sorted(dir(module)):
            obj = getattr(module, name)
            if name.startswith("_") or isinstance(obj, (type, types.ModuleType)) or not callable(obj):
                continue
            label = name if prefix == "np" else f"{prefix[3:]}.{name}"
            if id(obj) in seen:
                seen[id(obj)][2].append(label)
            else:
                seen[id(obj)] = (label, obj, [label])
    return list(seen.values())


def sample_arrays():
    """A DualArray and a second-order array (captured inside hessian) of the same values."""
    values = np.array([0.3, 0.6, 0.45])
    first = dn.DualArray(values, np.eye(3))
    captured = []

    def capture(x):
        captured.append(x)
        return np.sum(x * x)

    dn.hessian(capture, values)
    return first, captured[0]


def _status(result, dual_types):
    items = result if isinstance(result, (tuple, list)) else (result,)
    return "compiled" if any(isinstance(r, dual_types) for r in items) else "values"


def _try(call, dual_types, unsupported):
    """The status of ``call()``: compiled, values, refused (a TypeError reaches the user) or
    ``unsupported`` (order 1: refused; order 2: fallback, when the array gives up)."""
    try:
        return _status(call(), dual_types)
    except TypeError:
        return "refused"
    except Exception as error:
        if type(error).__name__ == "NotCompiled":        # hessian re-evaluates on objects
            return unsupported
        raise


# ufuncs whose operands after the first are integers, not data: probed with plain ones
_PLAIN_LATER = {"ldexp": (2,)}


def ufunc_status(ufunc, array, dual_types, unsupported):
    """Statuses of a ufunc's call and methods on ``array``: {"call": ..., "reduce": ..., ...}."""
    def at():
        target = array * 1.0                              # a fresh array: at() writes into it
        if ufunc.nin == 2:
            ufunc.at(target, [0, 0], array[:2])           # a repeated index, applied twice
        else:
            ufunc.at(target, [0, 2])
        return target

    later = _PLAIN_LATER.get(ufunc.__name__, (array,) * (ufunc.nin - 1))
    calls = {"call": lambda: ufunc(array, *later)}
    if ufunc.signature is None and ufunc.nout == 1:       # gufuncs (matmul & co.) have no methods
        if ufunc.nin == 2:
            calls.update(reduce=lambda: ufunc.reduce(array), accumulate=lambda: ufunc.accumulate(array),
                         outer=lambda: ufunc.outer(array, array))
        calls["at"] = at
    return {name: _try(call, dual_types, unsupported) for name, call in calls.items()}


def float_ufunc(ufunc):
    """True if some loop of the ufunc takes a float64 input (bit, integer and date
    ufuncs have none; ldexp's is "di->d")."""
    return any("d" in t.split("->")[0] for t in ufunc.types)


def coverage():
    """Records {names, kind, order1, order2, methods1, methods2, reason} for every callable."""
    with np.errstate(all="ignore"):                       # the probes leave some domains
        return _coverage(*sample_arrays())


def _coverage(first, second):
    order1_table = type(first)._numpy_functions
    order2_table = type(second)._numpy_functions
    records = []
    for label, obj, names in public_callables():
        record = {"names": names, "kind": "ufunc" if isinstance(obj, np.ufunc) else "function",
                  "reason": _NOT_APPLICABLE.get(label.rsplit(".", 1)[-1])}
        if record["reason"] is None and isinstance(obj, np.ufunc) and not float_ufunc(obj):
            record["reason"] = "takes no float64 input (integers, bits, dates)"
        if record["reason"] is None:
            if isinstance(obj, np.ufunc):
                one = ufunc_status(obj, first, (dn.DualArray, dn.Dual), "refused")
                two = ufunc_status(obj, second, (type(second), dn.Dual2), "fallback")
                record.update(order1=one.pop("call"), order2=two.pop("call"), methods1=one, methods2=two)
            elif obj in LIKE_FUNCTIONS and obj not in order1_table:
                record.update(order1="like=", order2="like=")
            else:
                record.update(order1="compiled" if obj in order1_table else "refused",
                              order2="compiled" if obj in order2_table else "fallback")
        records.append(record)
    return records


def summary(records):
    applicable = [r for r in records if r["reason"] is None]
    lines = [f"numpy {np.__version__}: {len(records)} public callables in np, np.linalg, np.fft; "
             f"{len(applicable)} take float data"]
    for order, users in (("order1", "gradient, jacobian, jvp"), ("order2", "hessian, hvp")):
        counts = {}
        for r in applicable:
            counts[r[order]] = counts.get(r[order], 0) + 1
        lines.append(f"  order {order[-1]} ({users}): "
                     + ", ".join(f"{n} {status}" for status, n in sorted(counts.items())))
    for order in ("1", "2"):
        methods = [status for r in applicable if r["kind"] == "ufunc"
                   for status in r[f"methods{order}"].values()]
        done = sum(status == "compiled" for status in methods)
        lines.append(f"  ufunc methods at order {order}: {done} of {len(methods)} compiled")
    return "\n".join(lines)


def markdown(records):
    """The documentation's tables: the summary, then one table per namespace."""
    applicable = [r for r in records if r["reason"] is None]
    out = ["```text", summary(records), "```", ""]
    for prefix, _ in NAMESPACES:
        rows = [r for r in applicable if _namespace(r) == prefix]
        out += [f"## `{prefix}`", "", "| callable | gradient, jacobian, jvp | hessian, hvp | ufunc methods |",
                "|---|---|---|---|"]
        for r in rows:
            out.append(f"| {_names(r)} | {r['order1']} | {r['order2']} | {_methods(r)} |")
        out.append("")
    out += ["## Not applicable", "", "| callable | why |", "|---|---|"]
    for r in records:
        if r["reason"] is not None:
            out.append(f"| {_names(r)} | {r['reason']} |")
    return "\n".join(out) + "\n"


def _names(record):
    return ", ".join(f"`{name}`" for name in record["names"])


def _methods(record):
    """A ufunc's methods, each with a mark per order: "reduce ✓/✗" is compiled at order 1 only."""
    def mark(status):
        return "✓" if status == "compiled" else "✗"
    return ", ".join(f"{method} {mark(status)}/{mark(record['methods2'][method])}"
                     for method, status in record.get("methods1", {}).items())


def _namespace(record):
    first = record["names"][0]
    return "np." + first.split(".")[0] if first.startswith(("linalg.", "fft.")) else "np"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--markdown", action="store_true", help="print the documentation's tables")
    args = parser.parse_args(argv)
    records = coverage()
    if args.markdown:
        print(markdown(records))
        return
    print(summary(records))
    refused = [", ".join(r["names"]) for r in records if r["reason"] is None and r["order1"] == "refused"]
    print(f"refused at order 1 ({len(refused)}): " + "; ".join(refused))


if __name__ == "__main__":
    sys.exit(main())
