"""Build the compiled core; all metadata lives in pyproject.toml."""
import numpy
from Cython.Build import cythonize
from setuptools import Extension, setup

# the DualArray core allocates and reads arrays through numpy's C API
NUMPY_C_API = {
    "include_dirs": [numpy.get_include()],
    "define_macros": [("NPY_NO_DEPRECATED_API", "NPY_1_7_API_VERSION")],
}

extensions = [
    Extension("dualnum._core", ["dualnum/_core.pyx"]),
    Extension("dualnum._taylor", ["dualnum/_taylor.pyx"]),
    Extension("dualnum._second", ["dualnum/_second.pyx"]),
    Extension("dualnum._hessian_array", ["dualnum/_hessian_array.pyx"], **NUMPY_C_API),
    Extension("dualnum._kernels", ["dualnum/_kernels.pyx"]),
    Extension("dualnum._array", ["dualnum/_array.pyx"], **NUMPY_C_API),
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
