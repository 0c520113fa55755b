# Type stubs for the DualArray storage and recorded chains (dualnum/_chains.pyx).
from typing import Any, final

from typing_extensions import disjoint_base

REAL_SCALARS: tuple[type, ...]

@disjoint_base
class ArrayStorage:
    @property
    def tag(self) -> int: ...
    @property
    def directions(self) -> int: ...

@final
class Pending:          # an operation recorded on a pending array
    ...

@disjoint_base
class Run:              # a chain one thread is running
    ...

def report(name: str, values: tuple[Any, ...]) -> None: ...
def is_pending(x: ArrayStorage) -> bool: ...
def chain_settings(
    defer_entries: int | None = None, chain_bytes: int | None = None, max_chain: int | None = None,
) -> tuple[int, int, int]: ...
