"""Sphinx configuration of dualnum's documentation (build: see contributing.md)."""
import pathlib
import sys

import dualnum

sys.path.insert(0, str(pathlib.Path(__file__).parent / "_ext"))

project = "dualnum"
author = "dualnum developers"
copyright = "dualnum developers"
release = version = dualnum.__version__

extensions = [
    "myst_parser",               # the pages are Markdown
    "sphinx.ext.autodoc",        # the API reference, from the docstrings
    "sphinx.ext.napoleon",       # which are numpydoc-style
    "sphinx.ext.doctest",        # every example on every page runs (sphinx-build -b doctest)
    "dualnum_docs",              # _ext/: the API's completeness, checked code, the performance page
]

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build", "_generated/*.md", "README.md"]
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

html_theme = "furo"
html_title = f"dualnum {version}"
html_static_path = []
