"""The shift handover book (交接班记录): what one register hands to the next shift.

Each register of the counter (visitors, parcels, keys, goods passes, lending, lost
property, work orders, the cash drawer) answers with one `HandoverItem`: a count, one
line of text for the book and the few details the incoming clerk must see by name."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class HandoverItem:
    register: str  # the register's name as the book prints it: 快递代收
    count: int  # open items (0: nothing to hand over)
    text: str  # one line: 待取快递 12 件，其中超过 3 天 4 件
    details: tuple[str, ...] = ()  # a few lines by name: 3-2-1201 顺丰 …8842 货架 A3
