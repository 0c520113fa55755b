#!/usr/bin/env bash
# cibuildwheel's before-all (pyproject.toml): build SLEEF, the vector math
# library of dualnum/_simd.pyx's kernels, from a pinned release as a static,
# position-independent library into PREFIX (setup.py finds it through
# SLEEF_DIR=PREFIX), so that the wheels link it in and need no shared SLEEF.
# Only the libm part: no tests, DFT, quad or GNU-ABI libraries.
#
#     bash .ci/build_sleef.sh PREFIX
set -euo pipefail
PREFIX=${1:?usage: build_sleef.sh PREFIX}
SLEEF_TAG=3.6.1
SLEEF_COMMIT=6ee14bcae5fe92c2ff8b000d5a01102dab08d774    # the commit of tag 3.6.1

work=$(mktemp -d)
git clone --quiet --depth 1 --branch "$SLEEF_TAG" https://github.com/shibatch/sleef "$work/sleef"
if [ "$(git -C "$work/sleef" rev-parse HEAD)" != "$SLEEF_COMMIT" ]; then
    echo "SLEEF $SLEEF_TAG is not commit $SLEEF_COMMIT: refusing to build it" >&2
    exit 1
fi
cmake -S "$work/sleef" -B "$work/build" \
    -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX="$PREFIX" \
    -DBUILD_SHARED_LIBS=OFF -DCMAKE_POSITION_INDEPENDENT_CODE=ON \
    -DCMAKE_MSVC_RUNTIME_LIBRARY=MultiThreadedDLL \
    -DSLEEF_BUILD_TESTS=OFF -DSLEEF_BUILD_DFT=OFF -DSLEEF_BUILD_QUAD=OFF \
    -DSLEEF_BUILD_GNUABI_LIBS=OFF -DSLEEF_BUILD_SCALAR_LIB=OFF -DSLEEF_SHOW_CONFIG=OFF
cmake --build "$work/build" --config Release --parallel
cmake --install "$work/build" --config Release
ls -R "$PREFIX"
