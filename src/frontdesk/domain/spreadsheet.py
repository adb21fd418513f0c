"""A spreadsheet cell written from text stays text.

Excel and WPS treat a cell whose text begins with = + - @ (or a tab or carriage return
before them) as a formula when the file is opened or the cell is edited: a visitor
registered as =HYPERLINK("http://…","点我") would become a live link in the 访客记录
export, =1+1 a sum. Every cell the program writes from a str is therefore a string
cell (openpyxl data type 's', stored as text, never as a formula), and one that begins
with such a character also gets Excel's quotePrefix style, so editing it in Excel keeps
it text. The value itself is never changed: no apostrophe is added to what was typed.

This works on openpyxl cells without importing openpyxl, so services (services/xlsx.py,
the one writer of exports) and documents (the cash and collection reports) share it.
"""

from __future__ import annotations

from typing import Any

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")


def keep_as_text(cell: Any) -> Any:
    """Make the openpyxl cell, if it holds a str, a text cell; returns the cell."""
    value = cell.value
    if isinstance(value, str):
        cell.data_type = "s"
        if value.startswith(FORMULA_TRIGGERS):
            cell.quotePrefix = True
    return cell
