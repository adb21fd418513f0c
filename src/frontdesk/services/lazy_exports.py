"""An area package's use-cases, loaded when first asked for (PEP 562).

Each area's `__init__` names its use-cases in `__all__` (imported for type checkers
only); importing the package loads none of its modules, so one area using another's
helper never meets a half-loaded package, and start-up loads only what it needs."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterable, Sequence


def lazy_exports(
    package: str, path: Iterable[str], names: Sequence[str]
) -> tuple[Callable[[str], object], Callable[[], list[str]]]:
    """`__getattr__` and `__dir__` for `package`, finding each of `names` in its modules."""
    modules = sorted(info.name for info in pkgutil.iter_modules(list(path)))

    def module_getattr(name: str) -> object:
        if name in names:
            for module_name in modules:
                module = importlib.import_module(f"{package}.{module_name}")
                if name in vars(module):
                    return vars(module)[name]
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    def module_dir() -> list[str]:
        return sorted(names)

    return module_getattr, module_dir
