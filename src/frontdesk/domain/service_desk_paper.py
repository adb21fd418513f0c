"""The papers a work order's 派工单 / 维修回执 is printed on; no database."""

from __future__ import annotations

from enum import StrEnum


class WorkOrderPaper(StrEnum):
    A5 = "a5"  # a sheet on the worker's clipboard
    ROLL_80 = "80mm"  # the counter's receipt printer (thermal or dot-matrix)

    @property
    def label(self) -> str:
        return {"a5": "A5 纸（竖向）", "80mm": "80 毫米小票"}[self]
