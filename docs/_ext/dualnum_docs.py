"""Sphinx extension of dualnum's documentation: what its build checks and generates.

- Every name in ``dualnum.__all__`` is documented (the API reference), or the build fails.
- No page holds a Python block that is not run: Python examples are ``{doctest}`` blocks,
  which ``sphinx-build -b doctest`` runs.
- The performance page's table and chart are drawn from ``performance.json``, which
  ``benchmarks/run.py --json`` writes.
- The numpy coverage page's tables are docs/numpy_coverage.py's, run on this build.

(The gallery of ``examples/`` is sphinx-gallery's, configured in conf.py.)
"""
import importlib.util
import json
import pathlib
import re

from sphinx.errors import ExtensionError
from sphinx.util.docutils import SphinxDirective

import dualnum

GENERATED = "_generated"
# the elementary functions' one-line docstrings, from the function table: "copysign(a, b): |a| with ..."
ELEMENTARY_DOC = re.compile(r"^(\w+)(\(.*?\)): (.*)$", re.S)
UNCHECKED_PYTHON = re.compile(r"^[ \t]*((```|~~~)[ \t]*|\.\. (code-block|code|sourcecode)::[ \t]*)"
                              r"(python|py|pycon|python3|ipython)[ \t]*$", re.M)


def reject_unchecked_python(app, docname, source):
    """A ```python block would never run: write it as a {doctest} block."""
    if docname.startswith("gallery/"):
        return  # sphinx-gallery's pages: it ran their code to make them
    match = UNCHECKED_PYTHON.search(source[0])
    if match:
        line = source[0].count("\n", 0, match.start()) + 1
        raise ExtensionError(f"{docname}, line {line}: a Python block that is not run "
                             f"({match.group(0).strip()}); write it as a {{doctest}} block")


class ElementaryFunctions(SphinxDirective):
    """Entries for the compiled elementary functions, whose docstrings are one line of text,
    "copysign(a, b): |a| with the sign of b; ...": autodoc cannot take a signature from that.

    The content lists the functions, each optionally with the point of its example,
    ``acosh=1.5`` or ``atan2=0.5,2.0`` (default 0.5, or 0.5, 2.0 for two arguments).  Each
    entry gets its own example, the function applied to seeded Duals, which the doctest
    build runs; before it is shown, its partials are checked against central differences
    of the function on floats, so a page never shows a wrong derivative."""

    has_content = True

    def run(self):
        lines = []
        for token in " ".join(self.content).split():
            name, _, point = token.partition("=")
            function = getattr(dualnum, name)
            match = ELEMENTARY_DOC.match(function.__doc__ or "")
            if not match:
                raise self.error(f"dualnum.{name}'s docstring does not start with '{name}(args): '")
            text = re.sub(r"([|*])", r"\\\1", match.group(3))  # plain text, not reST
            parameters = re.findall(r"\w+", match.group(2))  # "(x[, base])": x, base
            args = tuple(float(a) for a in point.split(",")) if point else (0.5, 2.0)[:len(parameters)]
            try:
                example = elementary_example(name, dict(zip(parameters, args, strict=True)))
            except ValueError as error:
                raise self.error(str(error)) from None
            lines += [f".. function:: {name}{match.group(2)}", "", f"   {text}", "",
                      *(f"   {line}" for line in example), ""]
        return self.parse_text_to_nodes("\n".join(lines))


def elementary_example(name, point, step=1e-6):
    """The doctest lines of dualnum.<name>'s example at ``point`` (parameter: value): the
    function of Duals seeded in each argument, with the value and partials it prints.
    Raises ValueError if a partial disagrees with a central difference on floats."""
    function = getattr(dualnum, name)
    args = tuple(point.values())
    n = len(args)
    if n == 1:
        call = f"dn.{name}(dn.Dual({args[0]!r}, 1.0))"
        seeded = [dualnum.Dual(args[0], 1.0)]
    else:
        seeds = [tuple(1.0 if j == i else 0.0 for j in range(n)) for i in range(n)]
        call = f"dn.{name}(" + ", ".join(f"dn.Dual({a!r}, {s!r})" for a, s in zip(args, seeds)) + ")"
        seeded = [dualnum.Dual(a, s) for a, s in zip(args, seeds)]
    result = function(*seeded)
    for i, partial in enumerate(result.partials):
        up, down = list(args), list(args)
        up[i] += step
        down[i] -= step
        difference = (function(*up) - function(*down)) / (2 * step)
        if abs(partial - difference) > 1e-6 * max(1.0, abs(difference)):
            raise ValueError(f"dualnum.{name} at {args}: partial {i} is {partial!r}, "
                             f"but central differences give {difference!r}")
    which = " and ".join(f"d/d{parameter}" for parameter in point)
    return [".. doctest::", "", f"   >>> # the value, then {which}", f"   >>> {call}", f"   {result!r}"]


def drop_restated_signature(app, what, name, obj, options, lines):
    """The compiled classes' docstrings repeat their signature ("Dual(value, partials=())")
    under the one autodoc already shows: drop the repetition."""
    short = name.rsplit(".", 1)[-1]
    while lines and (not lines[0].strip() or re.fullmatch(rf"{short}\(.*\)", lines[0].strip())):
        del lines[0]


def check_api_complete(app, env):
    """Fail the build if a public name has no entry in the API reference."""
    documented = set(env.get_domain("py").objects)
    missing = sorted(name for name in dualnum.__all__ if f"dualnum.{name}" not in documented)
    if missing:
        raise ExtensionError(f"dualnum.__all__ names missing from the API reference: {', '.join(missing)}")


def format_seconds(seconds):
    for unit, scale in (("s", 1), ("ms", 1e-3), ("µs", 1e-6)):
        if seconds >= scale:
            return f"{seconds / scale:.3g} {unit}"
    return f"{seconds / 1e-9:.3g} ns"


def performance_table(results):
    """The run as a Markdown table, narrow enough for the page (the chart shows the spread too)."""
    lines = ["| workload | baseline/call | dualnum/call | ratio | round ratios IQR "
             "| fastdual / num-dual / JAX jit |",
             "|---|---|---|---|---|---|"]
    for row in results["rows"]:
        label = f"{row['workload']} {row['size']} ({row['baseline']})"
        if row["failed"]:
            cells = [label, "", "", "FAILED", "", row["peers"]]
        else:
            q1, q3 = row["ratio_iqr"]
            cells = [label, format_seconds(row["baseline_seconds"]), format_seconds(row["dualnum_seconds"]),
                     f"{row['ratio']:.3g}", f"{q1:.3g}–{q3:.3g}", row["peers"]]
        lines.append("| " + " | ".join(cells) + " |")
    rounds = sorted({row["rounds"] for row in results["rows"] if not row["failed"]}) or [0]
    rounds_text = str(rounds[0]) if len(rounds) == 1 else f"{rounds[0]}–{rounds[-1]}"
    commit = (results.get("commit") or "unknown")[:10]
    date = results["date"][:16].replace("T", " ")  # ISO 8601 in UTC, to the minute
    lines += ["", f"Measured {date} UTC on {results['machine']}, Python {results['python']}, "
                  f"numpy {results['numpy']}, at commit `{commit}`; "
                  f"{rounds_text} rounds a row."]
    return "\n".join(lines) + "\n"


def performance_chart(results, path):
    import matplotlib
    import matplotlib.ticker
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = [row for row in results["rows"] if not row["failed"]][::-1]
    labels = [f"{row['workload']} {row['size']}" for row in rows]
    ratios = [row["ratio"] for row in rows]
    spread = [[row["ratio"] - row["ratio_iqr"][0] for row in rows],
              [row["ratio_iqr"][1] - row["ratio"] for row in rows]]
    figure, axes = plt.subplots(figsize=(7.5, 0.32 * len(rows) + 1.2), layout="constrained")
    axes.barh(labels, ratios, xerr=[[max(0, e) for e in side] for side in spread], color="#3b7dd8",
              error_kw={"ecolor": "#333", "capsize": 2, "linewidth": 0.8})
    axes.axvline(1, color="#999", linewidth=0.8)
    axes.set_xscale("log")
    axes.xaxis.set_major_formatter(matplotlib.ticker.ScalarFormatter())
    axes.set_xlabel("time with derivatives / time of the plain-float baseline (lower is better)")
    axes.set_title("dualnum's cost over one evaluation without derivatives (median, IQR)")
    for y, row in enumerate(rows):  # the figure right of the bar and its whisker
        axes.annotate(f"{row['ratio']:.3g}", (max(row["ratio"], row["ratio_iqr"][1]), y), xytext=(5, 0),
                      textcoords="offset points", va="center", fontsize=8)
    figure.savefig(path, dpi=110)
    plt.close(figure)


def generate_performance(app):
    source = pathlib.Path(app.srcdir)
    results = json.loads((source / "performance.json").read_text(encoding="utf-8"))
    out = source / GENERATED
    out.mkdir(exist_ok=True)
    (out / "performance-table.md").write_text(performance_table(results), encoding="utf-8")
    performance_chart(results, out / "performance-chart.png")


def generate_numpy_coverage(app):
    """The numpy coverage page's tables, from docs/numpy_coverage.py run on this build."""
    source = pathlib.Path(app.srcdir)
    spec = importlib.util.spec_from_file_location("numpy_coverage", source / "numpy_coverage.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    (source / GENERATED).mkdir(exist_ok=True)
    tables = module.markdown(module.coverage())
    (source / GENERATED / "numpy-coverage.md").write_text(tables, encoding="utf-8")


def setup(app):
    app.connect("builder-inited", generate_performance)
    app.connect("builder-inited", generate_numpy_coverage)
    app.connect("source-read", reject_unchecked_python)
    app.add_directive("dualnum-elementary", ElementaryFunctions)
    app.connect("autodoc-process-docstring", drop_restated_signature)
    app.connect("env-check-consistency", check_api_complete)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
