"""Sphinx configuration of dualnum's documentation (build: see contributing.md)."""
import pathlib
import shutil
import sys

import dualnum

DOCS = pathlib.Path(__file__).parent
sys.path.insert(0, str(DOCS / "_ext"))

# The gallery runs the scripts of examples/ (which stay plain scripts) from a copy
# with what sphinx-gallery needs: a header page, and each docstring's first line as a title.
GALLERY_SOURCE = DOCS / "_generated" / "examples"
shutil.rmtree(GALLERY_SOURCE, ignore_errors=True)
GALLERY_SOURCE.mkdir(parents=True)
for script in sorted((DOCS.parent / "examples").glob("*.py")):
    first, rest = script.read_text(encoding="utf-8").split("\n", 1)
    title = first.strip('"')
    closing = '"""\n' if len(first) > 3 and first.endswith('"""') else ""  # a one-line docstring
    (GALLERY_SOURCE / script.name).write_text(f'"""\n{title}\n{"=" * len(title)}\n{closing}{rest}',
                                              encoding="utf-8")
(GALLERY_SOURCE / "GALLERY_HEADER.rst").write_text(
    "Examples\n========\n\nThe scripts of ``examples/``, run when the documentation is built, "
    "with what they print and the figures they draw. Each checks its numbers against an "
    "independent reference (a derivative by hand, scipy, finite differences), and runs as a "
    "plain script too: ``cd examples && python newton.py`` draws its figure without "
    "showing it (the scripts never call ``plt.show()``, so no window opens; add it to see "
    "the figure).\n", encoding="utf-8")

project = "dualnum"
author = "dualnum developers"
copyright = "dualnum developers"
release = version = dualnum.__version__

extensions = [
    "myst_parser",               # the pages are Markdown
    "sphinx.ext.autodoc",        # the API reference, from the docstrings
    "sphinx.ext.napoleon",       # which are numpydoc-style
    "sphinx.ext.doctest",        # every example on every page runs (sphinx-build -b doctest)
    "sphinx_gallery.gen_gallery",  # the examples, run at build time
    "dualnum_docs",              # _ext/: the API's completeness, checked code, the performance page
]

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build", "_generated", "README.md"]
myst_enable_extensions = ["colon_fence"]
myst_heading_anchors = 3

autodoc_member_order = "bysource"
autodoc_typehints = "none"          # the stubs' types are in the signatures' prose
napoleon_numpy_docstring = True
napoleon_google_docstring = False

# every page's examples start from these imports
doctest_global_setup = """
import math
import numpy as np
import dualnum as dn
"""

sphinx_gallery_conf = {
    "examples_dirs": str(GALLERY_SOURCE),
    "gallery_dirs": "gallery",        # generated pages (not committed)
    # run every script, not only plot_*.py, but dask_*.py (a cluster of processes): page, code, no run
    "filename_pattern": r"(^|[/\\])(?!dask_)[^/\\]*\.py$",
    "within_subsection_order": "FileNameSortKey",  # a stable order, by file name
    "download_all_examples": False,
    "remove_config_comments": True,
}

html_theme = "furo"
html_title = f"dualnum {version}"
html_static_path = []
