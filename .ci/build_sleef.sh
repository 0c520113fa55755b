#!/usr/bin/env bash
# cibuildwheel's before-all (pyproject.toml): build SLEEF, the vector math
# library of dualnum/_simd.pyx's kernels, from a pinned release as a static,
# position-independent library into PREFIX (setup.py finds it through
# SLEEF_DIR=PREFIX), so that the wheels link it in and need no shared SLEEF.
# Only the libm part: no tests, DFT, quad or GNU-ABI libraries.
#
# 3.9.0, the first release whose README lists Windows x86-64 with MSVC as
# tested (3.6.1 listed Windows as untested); none lists Windows on AArch64,
# whose wheels are built without SLEEF (pyproject.toml).  SLEEF_SOURCE
# names another clone of the repository (a local mirror, for
# .ci/prove_sleef_build.sh); the commit is checked either way.
#
#     bash .ci/build_sleef.sh PREFIX
set -euo pipefail
PREFIX=${1:?usage: build_sleef.sh PREFIX}
SLEEF_TAG=3.9.0
SLEEF_COMMIT=906ca7512ee483296780a81a21b9ca715d40dfe1    # the commit of tag 3.9.0
SLEEF_SOURCE=${SLEEF_SOURCE:-https://github.com/shibatch/sleef}

work=$(mktemp -d)
git clone --quiet --depth 1 --branch "$SLEEF_TAG" "$SLEEF_SOURCE" "$work/sleef"
if [ "$(git -C "$work/sleef" rev-parse HEAD)" != "$SLEEF_COMMIT" ]; then
    echo "SLEEF $SLEEF_TAG is not commit $SLEEF_COMMIT: refusing to build it" >&2
    exit 1
fi
cmake -S "$work/sleef" -B "$work/build" \
    -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX="$PREFIX" \
    -DBUILD_SHARED_LIBS=OFF -DCMAKE_POSITION_INDEPENDENT_CODE=ON \
    -DCMAKE_MSVC_RUNTIME_LIBRARY=MultiThreadedDLL \
    -DSLEEF_BUILD_TESTS=OFF -DSLEEF_BUILD_DFT=OFF -DSLEEF_BUILD_QUAD=OFF \
    -DSLEEF_BUILD_GNUABI_LIBS=OFF -DSLEEF_BUILD_SCALAR_LIB=OFF -DSLEEF_SHOW_CONFIG=OFF \
    -DSLEEF_ENABLE_TLFLOAT=OFF -DSLEEF_ENABLE_TESTER4=OFF
cmake --build "$work/build" --config Release --parallel
cmake --install "$work/build" --config Release
ls -R "$PREFIX"
