"""A worksheet's data read without an XML parser when it is written plainly (as Excel,
WPS and openpyxl write it): the rows and cells of a 20,000-row sheet found by two
patterns instead of an element built per cell (数据导入). xlsx_read decides per cell
what is plain enough; the whole part is first checked well-formed by expat (in C,
building nothing), and anything unusual is left to the XML parser."""

from __future__ import annotations

import functools
import re
from xml.parsers import expat

# What only an XML parser reads right: comments, CDATA, a namespace declared or used
# with a prefix inside the data, single-quoted attributes.
NOT_PLAIN = (b"<!--", b"<![CDATA[", b"xmlns", b"='", b"<?")
# Rows and cells up to their end tag: "[^<]*(?:<(?!/row>)[^<]*)*" is ".*?" without
# trying the end tag at every character.
PLAIN_ROW = re.compile(rb'<row\b(?: r="(\d+)")?([^>]*?)(?:/>|>([^<]*(?:<(?!/row>)[^<]*)*)</row>)')
# A cell: its column letters, its other attributes, then what it holds: a value, an
# inline string, or anything else (left to the XML parser).
_HELD = (
    rb"<v>([^<&]*)</v>",
    rb'(<is><t(?: xml:space="preserve")?>)([^<&]*)</t></is>',
    rb"([^<]*(?:<(?!/c>)[^<]*)*)",
)
PLAIN_CELL = re.compile(rb'<c\b(?: r="([A-Z]+)\d*")?([^>]*?)(?:/>|>(?:%b)</c>)' % b"|".join(_HELD))


def row_number(attributes: bytes) -> bytes | None:
    """The row's number when its reference is not its first attribute."""
    found = re.search(rb'(?:^|\s)r="(\d+)"', attributes)
    return found[1] if found else None


@functools.lru_cache(maxsize=256)
def cell_attributes(attributes: bytes) -> tuple[bytes, str, int]:
    """A cell's column letters (when its reference is not first), kind and style: a
    sheet has few distinct such attribute texts once the reference is taken out."""
    found = dict(re.findall(rb'(?:^|\s)([rst])="([^"]*)"', attributes))
    letters = found.get(b"r", b"").rstrip(b"0123456789")
    return letters, found.get(b"t", b"n").decode(), int(found.get(b"s") or 0)


def plain_sheet_data(xml: bytes) -> bytes | None:
    """The sheet's data when the sheet is well-formed and written plainly (as Excel,
    WPS and openpyxl write it); None: read it with the XML parser."""
    found = re.search(rb"<sheetData>(.*)</sheetData>", xml, re.S)
    if found is None:
        return None
    body = found[1]  # a copy of the data: taken once
    if any(odd in body for odd in NOT_PLAIN) or re.search(rb"</?\w+:", body):
        return None
    try:  # the parser checks the whole part in C, building nothing
        expat.ParserCreate().Parse(xml, True)
    except expat.ExpatError:
        return None  # the tree reader refuses it, naming the row
    return body
