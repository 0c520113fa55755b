"""The thread count of recorded chains: set_num_threads, get_num_threads,
num_threads, DUALNUM_NUM_THREADS, and the default (the physical cores)."""

import os
import shutil
import subprocess
import sys
import threading

import numpy as np
import pytest

import dualnum as dn
from dualnum import _threads


@pytest.fixture(autouse=True)
def keep_the_count():
    previous = dn.get_num_threads()
    yield
    dn.set_num_threads(previous)


def test_set_returns_the_previous_count_and_get_reads_it():
    start = dn.get_num_threads()
    assert dn.set_num_threads(3) == start
    assert dn.get_num_threads() == 3
    assert dn.set_num_threads(np.int64(1)) == 3          # any integer type
    assert dn.get_num_threads() == 1 and type(dn.get_num_threads()) is int


@pytest.mark.parametrize("bad, error, message", [
    *((n, ValueError, rf"at least 1, got {n} \(1 runs everything on the calling thread\)")
      for n in (0, -1, -8)),
    *((x, TypeError, rf"an integer >= 1, got .* of type {type(x).__name__}")
      for x in (2.0, "2", None, True, 1.5, [2])),
])
def test_counts_below_one_and_non_integers_are_refused(bad, error, message):
    before = dn.get_num_threads()
    with pytest.raises(error, match=rf"set_num_threads: the number of threads must be {message}"):
        dn.set_num_threads(bad)
    assert dn.get_num_threads() == before


def test_the_context_manager_sets_and_restores_the_count():
    dn.set_num_threads(2)
    with dn.num_threads(5) as n:
        assert n == 5 and dn.get_num_threads() == 5
        with dn.num_threads(1):
            assert dn.get_num_threads() == 1
        assert dn.get_num_threads() == 5
    assert dn.get_num_threads() == 2
    with pytest.raises(KeyError):
        with dn.num_threads(4):
            raise KeyError("restored on errors too")
    assert dn.get_num_threads() == 2
    with pytest.raises(ValueError, match="at least 1"):
        with dn.num_threads(0):
            pass                                         # pragma: no cover
    assert dn.get_num_threads() == 2


def test_the_count_is_the_processs_not_a_threads():
    dn.set_num_threads(6)
    seen = []
    worker = threading.Thread(target=lambda: seen.append(dn.get_num_threads()))
    worker.start()
    worker.join()
    assert seen == [6]


def test_the_public_names():
    for name in ("set_num_threads", "get_num_threads", "num_threads"):
        assert name in dn.__all__ and getattr(dn, name) is getattr(_threads, name)


# --------------------------------------------------------------------------
# the default: physical cores of the CPUs the process may run on


def fake_topology(root, cores):
    """A sysfs cpu directory: cores[i] is (package, core) of CPU i, or None
    for a CPU without topology files."""
    for cpu, place in enumerate(cores):
        directory = root / f"cpu{cpu}" / "topology"
        directory.mkdir(parents=True)
        if place is not None:
            (directory / "physical_package_id").write_text(f"{place[0]}\n")
            (directory / "core_id").write_text(f"{place[1]}\n")
    return str(root)


def test_linux_counts_distinct_cores_of_the_allowed_cpus(tmp_path):
    # two packages of two cores with two hyperthreads each (CPUs 0-7)
    root = fake_topology(tmp_path, [(0, 0), (0, 0), (0, 1), (0, 1), (1, 0), (1, 0), (1, 1), (1, 1)])
    cores = lambda cpus: _threads.physical_cores(cpus, root, "linux")
    assert cores(range(8)) == 4
    assert cores({0, 1}) == 1                            # two threads of one core
    assert cores({0, 2, 4}) == 3                         # core 0 of both packages is not one core
    assert cores({1, 3, 5, 7}) == 4


def test_linux_without_topology_counts_the_allowed_cpus(tmp_path):
    root = fake_topology(tmp_path, [(0, 0), None, (0, 1)])
    assert _threads.physical_cores({0, 1, 2}, root, "linux") == 3
    assert _threads.physical_cores({0, 1, 2}, str(tmp_path / "missing"), "linux") == 3
    assert _threads.physical_cores(set(), str(tmp_path), "linux") == 1      # never below 1


def test_other_systems_fall_back_on_cpu_count():
    expected = max(1, os.cpu_count() or 1)
    assert _threads.physical_cores(platform="win32") == expected
    # (no sysctlbyname here: macOS's path falls back the same way)
    if not hasattr(__import__("ctypes").CDLL(None), "sysctlbyname"):
        assert _threads.physical_cores(platform="darwin") == expected


def test_this_machines_default_against_the_siblings_lists_and_lscpu():
    cores = _threads.physical_cores()
    allowed = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else range(os.cpu_count() or 1)
    assert 1 <= cores <= len(allowed)
    if not sys.platform.startswith("linux"):
        return
    # another reading of sysfs: each core's list of hardware threads, once per core
    siblings = set()
    for cpu in allowed:
        try:
            with open(f"/sys/devices/system/cpu/cpu{cpu}/topology/thread_siblings_list") as f:
                siblings.add(f.read().strip())
        except OSError:
            siblings.add(str(cpu))               # no topology: each CPU counts (as physical_cores)
    assert cores == len(siblings)
    if shutil.which("lscpu"):                    # (not in every container image)
        listing = subprocess.run(["lscpu", "-p=cpu,core,socket"], capture_output=True, text=True)
        assert listing.returncode == 0, listing.stderr
        rows = [line.split(",") for line in listing.stdout.splitlines() if not line.startswith("#")]
        assert cores == len({(socket, core) for cpu, core, socket in rows if int(cpu) in allowed})


# --------------------------------------------------------------------------
# DUALNUM_NUM_THREADS, read at import (in a subprocess each)


def import_with(value, code="import dualnum as dn; print(dn.get_num_threads())"):
    # run from tests/: `python -c` puts its working directory first on sys.path, and
    # from the repository root the uncompiled source tree would shadow the build
    env = dict(os.environ, DUALNUM_NUM_THREADS=value)
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                          timeout=120, cwd=os.path.dirname(__file__))


@pytest.mark.parametrize("value, expected", [("3", 3), (" 1 ", 1), ("16", 16)])
def test_the_environment_variable_sets_the_count(value, expected):
    result = import_with(value)
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) == expected


def test_an_empty_environment_variable_means_the_default():
    result = import_with("", "import dualnum as dn, dualnum._threads as t; "
                             "print(dn.get_num_threads() == t.physical_cores())")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


@pytest.mark.parametrize("value, message", [
    ("0", "DUALNUM_NUM_THREADS: the number of threads must be at least 1, got 0"),
    ("-2", "DUALNUM_NUM_THREADS: the number of threads must be at least 1, got -2"),
    ("two", "DUALNUM_NUM_THREADS='two': expected a whole number of threads >= 1; "
            "unset it for the default"),
    ("2.5", "DUALNUM_NUM_THREADS='2.5': expected a whole number of threads >= 1"),
])
def test_an_invalid_environment_variable_refuses_the_import(value, message):
    result = import_with(value)
    assert result.returncode != 0
    assert "ValueError" in result.stderr and message in result.stderr


def test_set_num_threads_overrides_the_environment_variable():
    result = import_with("3", "import dualnum as dn; print(dn.set_num_threads(2), dn.get_num_threads())")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["3", "2"]
