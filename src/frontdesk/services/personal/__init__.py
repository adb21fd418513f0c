"""People's rights over their personal data (《个人信息保护法》): a copy, erasure, and
the rules for what may be erased.

The area's use-cases (functions taking the `Database`) with their inputs and rows, loaded
on first use; helpers taking a `Session` stay in their modules."""

from __future__ import annotations

from typing import TYPE_CHECKING

from frontdesk.services.lazy_exports import lazy_exports

if TYPE_CHECKING:
    from frontdesk.services.personal.erase import (
        ErasureReport,
        erase_person,
    )
    from frontdesk.services.personal.export import (
        export_person,
    )
    from frontdesk.services.personal.rights import (
        PersonQuery,
        PersonRecordRef,
        RecordKind,
        find_person,
    )

__all__ = [
    "ErasureReport",
    "PersonQuery",
    "PersonRecordRef",
    "RecordKind",
    "erase_person",
    "export_person",
    "find_person",
]
__getattr__, __dir__ = lazy_exports(__name__, __path__, __all__)
