"""Services by area: each area package names its use-cases and loads them on first use."""

from __future__ import annotations

import importlib
import pkgutil
import subprocess
import sys

import pytest

import frontdesk.services as services

AREAS = sorted(info.name for info in pkgutil.iter_modules(services.__path__) if info.ispkg)
LOOSE = sorted(info.name for info in pkgutil.iter_modules(services.__path__) if not info.ispkg)


def test_services_are_areas_with_few_loose_modules() -> None:
    assert {"fees", "households", "visitors", "renovation", "movein", "notices"} <= set(AREAS)
    assert len(LOOSE) <= 20, LOOSE


@pytest.mark.parametrize("area", AREAS)
def test_every_exported_name_is_found(area: str) -> None:
    package = importlib.import_module(f"frontdesk.services.{area}")
    assert package.__all__, f"{area} exports no use-case"
    for name in package.__all__:
        assert getattr(package, name) is not None
    with pytest.raises(AttributeError):
        _ = package.no_such_use_case
    modules = {info.name for info in pkgutil.iter_modules(package.__path__)}
    assert not set(package.__all__) & modules, "a use-case named as a module hides the module"


@pytest.mark.parametrize("area", AREAS)
def test_importing_an_area_loads_none_of_its_modules(area: str) -> None:
    code = (
        f"import sys, frontdesk.services.{area} as p;"
        f"print(sorted(m for m in sys.modules if m.startswith('frontdesk.services.{area}.')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
