"""Build the compiled core; all metadata lives in pyproject.toml."""
import glob
import os
import shlex
import subprocess

import numpy
from Cython.Build import cythonize
from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext
from setuptools.command.sdist import sdist


class SourceSdist(sdist):
    """The sdist carries the Cython sources (.pyx) that the build cythonizes,
    not the C files cythonize generated here (setuptools would ship those in
    their place: the extensions list them once cythonized), and the whole test
    suite (setuptools takes only tests/test*.py, not conftest.py and the
    shared corpora)."""

    def make_release_tree(self, base_dir, files):
        files = [f for f in files if not (os.path.dirname(os.path.normpath(f)) == "dualnum"
                                          and f.endswith(".c"))]
        files += sorted(glob.glob(os.path.join("dualnum", "*.pyx")))
        files += sorted(set(glob.glob(os.path.join("tests", "*.py"))) - set(files))
        super().make_release_tree(base_dir, files)


class BuildExt(build_ext):
    """GCC and Clang: no errno from the math functions, and libm linked.

    Nothing here reads errno, and keeping it set forces a libm call around
    every sqrt (for the negative case), which keeps the loops of
    dualnum/_loops.pxd scalar.  Linked without -lm, the references to exp and
    log are unversioned and glibc binds them to the oldest versions, its
    wrappers for SVID error handling (on glibc >= 2.29: a few percent of
    the time of W2); linked, they bind to the build's current versions.
    """

    def build_extensions(self):
        if self.compiler.compiler_type in ("unix", "mingw32"):
            for extension in self.extensions:
                extension.extra_compile_args.append("-fno-math-errno")
                extension.libraries.append("m")
        super().build_extensions()


# the DualArray core allocates and reads arrays through numpy's C API
NUMPY_C_API = {
    "include_dirs": [numpy.get_include()],
    "define_macros": [("NPY_NO_DEPRECATED_API", "NPY_1_7_API_VERSION")],
}

# the complex column of the function table calls numpy's C math library
# (npymath, shipped with numpy for extensions): dualnum/_complex_rules.pxd
NPYMATH = {"include_dirs": [numpy.get_include()], "libraries": ["npymath"],
           "library_dirs": [os.path.join(numpy.get_include(), "..", "lib")]}


def sleef_build_args():
    """Where SLEEF is (its headers are not needed: dualnum/_simd_c declares
    the few functions it calls), as Extension arguments, or None without it.

    SLEEF_DIR=<prefix> names an installation (lib/ and include/ under it; the
    wheels' builds set it); else pkg-config's ``sleef``.  DUALNUM_NO_SLEEF=1
    builds without it: the loops then keep their scalar rules
    (dualnum._simd.active() == "scalar").
    """
    if os.environ.get("DUALNUM_NO_SLEEF", "") not in ("", "0"):
        return None
    prefix = os.environ.get("SLEEF_DIR")
    if prefix:
        libdirs = [os.path.join(prefix, d) for d in ("lib", "lib64")
                   if os.path.isdir(os.path.join(prefix, d))]
        return {"library_dirs": libdirs, "libraries": ["sleef"]}
    try:
        flags = subprocess.run(["pkg-config", "--libs", "sleef"], capture_output=True, text=True,
                               check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    words = shlex.split(flags)
    return {"library_dirs": [w[2:] for w in words if w.startswith("-L")],
            "libraries": [w[2:] for w in words if w.startswith("-l")] or ["sleef"]}


SIMD_SOURCES = sorted(glob.glob(os.path.join("dualnum", "_simd_c", "*.c")))
SIMD_HEADERS = sorted(glob.glob(os.path.join("dualnum", "_simd_c", "*.h")))


def simd_extension():
    """dualnum._simd: the dispatch, and with SLEEF one translation unit of
    kernels per instruction set (each compiled for its set by a target pragma
    in the file, so the rest of the extension stays baseline)."""
    sleef = sleef_build_args()
    if sleef is None:
        return Extension("dualnum._simd", ["dualnum/_simd.pyx", "dualnum/_simd_c/dispatch.c"],
                         include_dirs=["dualnum/_simd_c"], depends=SIMD_HEADERS)
    return Extension("dualnum._simd", ["dualnum/_simd.pyx"] + SIMD_SOURCES,
                     include_dirs=["dualnum/_simd_c"], depends=SIMD_HEADERS,
                     define_macros=[("DUALNUM_HAVE_SLEEF", "1")], **sleef)


extensions = [
    simd_extension(),
    Extension("dualnum._scipy_special", ["dualnum/_scipy_special.pyx"]),
    Extension("dualnum._table", ["dualnum/_table.pyx"], **NPYMATH),
    Extension("dualnum._number", ["dualnum/_number.pyx"]),
    Extension("dualnum._elementary", ["dualnum/_elementary.pyx"]),
    Extension("dualnum._nested", ["dualnum/_nested.pyx"]),
    Extension("dualnum._core", ["dualnum/_core.pyx"]),
    Extension("dualnum._complex_dual", ["dualnum/_complex_dual.pyx"]),
    Extension("dualnum._taylor", ["dualnum/_taylor.pyx"]),
    Extension("dualnum._second", ["dualnum/_second.pyx"]),
    Extension("dualnum._hessian_array", ["dualnum/_hessian_array.pyx"], **NUMPY_C_API),
    Extension("dualnum._kernels", ["dualnum/_kernels.pyx"]),
    Extension("dualnum._threads", ["dualnum/_threads.pyx"]),
    Extension("dualnum._chains", ["dualnum/_chains.pyx"], **NUMPY_C_API),
    Extension("dualnum._array", ["dualnum/_array.pyx"], **NUMPY_C_API),
    Extension("dualnum._seed", ["dualnum/_seed.pyx"]),
    Extension("dualnum._read", ["dualnum/_read.pyx"], **NUMPY_C_API),
    Extension("dualnum._hessian_pass", ["dualnum/_hessian_pass.pyx"]),
    Extension("dualnum._laplacian_array", ["dualnum/_laplacian_array.pyx"], **NUMPY_C_API),
]

setup(
    cmdclass={"sdist": SourceSdist, "build_ext": BuildExt},
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
