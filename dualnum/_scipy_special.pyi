# Type stubs for scipy.special's kernels (dualnum/_scipy_special.pyx).

from typing import Any

def bind_kernels(capi: dict[str, Any] | None = None, version: str | None = None) -> None: ...
