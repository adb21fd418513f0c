"""The audit export a supervisor files away: every entry with its chain hash, and a
校验 sheet whose tail hash later shows whether newer entries were cut off."""

from __future__ import annotations

from openpyxl import load_workbook

from frontdesk.domain.roles import Role
from frontdesk.printouts import audit_export
from frontdesk.services.households import structure
from frontdesk.services.households.structure import NewBuilding
from frontdesk.services.progress import NO_PROGRESS
from frontdesk.services.protection import audit


def test_the_export_carries_hashes_and_the_chain_tail(db, admin, make_user, tmp_path):
    structure.create_building(db, admin, NewBuilding("1", "", 1, 1, 2, "89.5"))
    supervisor = make_user(Role.SUPERVISOR)
    ids = list(reversed(audit.entry_ids(db, supervisor)))
    path = tmp_path / "audit.xlsx"
    assert audit_export.export_entries(db, supervisor, ids, path, NO_PROGRESS) == len(ids)

    book = load_workbook(path)
    rows = list(book["审计日志"].iter_rows(values_only=True))
    assert rows[0][-1] == "哈希"
    tail = audit.last_entry(db, admin)
    assert tail is not None and tail.summary == f"导出审计日志 {len(ids)} 条"
    exported_last = rows[-1]
    check = dict(book["校验"].iter_rows(values_only=True))
    assert check["哈希链校验"] == "完整"
    assert check["导出条数"] == len(ids)
    assert check["最后一条哈希"] == exported_last[-1]
    assert len(exported_last[-1]) == 64
    assert check["导出人"] == "主管甲"
    assert audit.verify_chain(db).ok
