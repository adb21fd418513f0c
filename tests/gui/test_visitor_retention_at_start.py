"""The app erases expired personal data at start (and every few hours after)."""

from __future__ import annotations

from datetime import timedelta

from frontdesk.domain import clock
from frontdesk.errors import DatabaseBusy
from frontdesk.gui import app
from frontdesk.services.households import structure
from frontdesk.services.visitors import history as visitor_history
from frontdesk.services.visitors import register as visitors


def test_start_up_erases_visitors_past_retention(db, admin, capsys) -> None:
    building = structure.create_building(
        db, admin, structure.NewBuilding("1", "1栋", 2, 1, 2, "89.50")
    )
    room = structure.room_ids(db, admin, structure.RoomFilter(building_id=building.id))[0]
    data = visitors.VisitInput(room, "旧访客", "13600001234", confirmed_by="业主")
    visitors.register_visit(db, admin, data, now=clock.utc_now() - timedelta(days=400))
    app.purge_expired_personal_data(db)
    [row] = visitor_history.search_visits(db, admin, visitor_history.VisitFilter())
    assert row.purged and row.visitor == "（已按期清除）"
    assert capsys.readouterr().err == ""


def test_a_busy_database_postpones_the_purge_without_stopping_the_app(
    db, monkeypatch, capsys
) -> None:
    def busy(*_args: object, **_kwargs: object) -> None:
        raise DatabaseBusy("数据库正被另一台电脑占用，请稍候几秒再试。")

    monkeypatch.setattr(app.retention, "purge_expired", busy)
    app.purge_expired_personal_data(db)
    assert "个人信息到期清理推迟到下次" in capsys.readouterr().err
