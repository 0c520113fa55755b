"""Build the compiled core; all metadata lives in pyproject.toml."""
from Cython.Build import cythonize
from setuptools import Extension, setup

extensions = [
    Extension("dualnum._core", ["dualnum/_core.pyx"]),
    Extension("dualnum._kernels", ["dualnum/_kernels.pyx"]),
]

setup(
    ext_modules=cythonize(
        extensions,
        language_level=3,
        compiler_directives={
            "binding": False,
            "embedsignature": True,
            "cpow": True,
        },
    ),
)
