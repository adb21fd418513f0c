"""Households (一户一档): the household file and its people, the buildings and rooms,
the owner roster, search, scans, special care and the butlers' contacts.

The area's use-cases (functions taking the `Database`) with their inputs and rows, loaded
on first use; helpers taking a `Session` stay in their modules."""

from __future__ import annotations

from typing import TYPE_CHECKING

from frontdesk.services.lazy_exports import lazy_exports

if TYPE_CHECKING:
    from frontdesk.services.households.attachments import (
        AttachmentRow,
        add_attachment,
        list_attachments,
        open_attachment,
        remove_attachment,
        stored_attachments,
    )
    from frontdesk.services.households.butler_contacts import (
        ContactInput,
        ContactRow,
        CoverageRow,
        QuietHousehold,
        coverage,
        due_follow_ups,
        list_contacts,
        longest_uncontacted,
        record_contact,
    )
    from frontdesk.services.households.care import (
        VisitDue,
        record_visit,
        visits_due,
    )
    from frontdesk.services.households.file import (
        CareInput,
        CareRow,
        HouseholdFile,
        ParkingInput,
        ParkingRow,
        PersonInput,
        PersonRow,
        PetInput,
        PetRow,
        ProfileInput,
        VehicleInput,
        VehicleRow,
        add_record,
        assign_butler,
        end_person,
        open_file,
        remove_record,
        restore_person,
        update_profile,
        update_record,
    )
    from frontdesk.services.households.roster import (
        ImportReport,
        RejectedRow,
        export_roster,
        import_roster,
    )
    from frontdesk.services.households.search import (
        Found,
        HouseholdHit,
        SearchHit,
        find_households,
        match_households,
    )
    from frontdesk.services.households.structure import (
        BuildingRow,
        BuildingSummary,
        NewBuilding,
        RoomChange,
        RoomFilter,
        RoomRow,
        UnitRow,
        create_building,
        find_room_id,
        list_buildings,
        room_ids,
        room_rows,
        summary,
        update_room,
    )

__all__ = [
    "AttachmentRow",
    "BuildingRow",
    "BuildingSummary",
    "CareInput",
    "CareRow",
    "ContactInput",
    "ContactRow",
    "CoverageRow",
    "Found",
    "HouseholdFile",
    "HouseholdHit",
    "ImportReport",
    "NewBuilding",
    "ParkingInput",
    "ParkingRow",
    "PersonInput",
    "PersonRow",
    "PetInput",
    "PetRow",
    "ProfileInput",
    "QuietHousehold",
    "RejectedRow",
    "RoomChange",
    "RoomFilter",
    "RoomRow",
    "SearchHit",
    "UnitRow",
    "VehicleInput",
    "VehicleRow",
    "VisitDue",
    "add_attachment",
    "add_record",
    "assign_butler",
    "coverage",
    "create_building",
    "due_follow_ups",
    "end_person",
    "export_roster",
    "find_households",
    "find_room_id",
    "import_roster",
    "list_attachments",
    "list_buildings",
    "list_contacts",
    "longest_uncontacted",
    "match_households",
    "open_attachment",
    "open_file",
    "record_contact",
    "record_visit",
    "remove_attachment",
    "remove_record",
    "restore_person",
    "room_ids",
    "room_rows",
    "stored_attachments",
    "summary",
    "update_profile",
    "update_record",
    "update_room",
    "visits_due",
]
__getattr__, __dir__ = lazy_exports(__name__, __path__, __all__)
