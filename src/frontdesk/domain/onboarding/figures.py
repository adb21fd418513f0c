"""The import totals as a clerk ticks them against the old system's: label and text."""

from __future__ import annotations

from frontdesk.domain.money import format_yuan
from frontdesk.domain.onboarding import Totals


def totals_rows(totals: Totals) -> list[tuple[str, str]]:
    return [
        ("房屋（间）", str(totals.rooms)),
        ("人员（人）", str(totals.people)),
        ("期初欠费（元）", format_yuan(totals.arrears_fen)),
        ("期初欠费（笔）", str(totals.arrears_lines)),
        ("期初预存（元）", format_yuan(totals.prepaid_fen)),
        ("押金（元）", format_yuan(totals.deposits_fen)),
        ("历史缴费（笔）", str(totals.history_lines)),
        ("历史缴费（元）", format_yuan(totals.history_fen)),
        ("水电表读数（条）", str(totals.meter_readings)),
    ]
