"""Keyed look-up values for encrypted phones: search by the last digits.

One row per digit tail of 4 or more digits of each searchable phone (a mobile has
8: its last 4, 5, … 11 digits), as an HMAC token under a key derived from the data
key (db/protection.PhoneCipher.tail_token). Typing 5678 finds every phone ending
in 5678 with one indexed look-up, while the file alone reveals no digit. Kept by
db/phone_index.py whenever a phone is written.
"""

from __future__ import annotations

from sqlalchemy import Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from frontdesk.db.base import Base


class PhoneLookup(Base):
    __tablename__ = "phone_lookup"
    __table_args__ = (Index("ix_phone_lookup_row", "entity", "row_id"),)
    __audit_label__ = "电话检索值"

    entity: Mapped[str] = mapped_column(String(20), primary_key=True)  # person / visit
    token: Mapped[str] = mapped_column(String(24), primary_key=True)
    row_id: Mapped[int] = mapped_column(Integer, primary_key=True)
