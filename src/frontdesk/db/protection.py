"""Identity-document numbers encrypted at rest (AES-GCM), with exact look-up.

A stored number is `e1:<lookup>:<nonce+ciphertext>` where `lookup` is a keyed hash
(HMAC-SHA256 under a key derived from the data key) of the plain number, so
`WHERE id_number BETWEEN …` finds a number without decrypting every row, while a
copied file alone reveals neither the numbers nor (without the key) the hashes'
inputs. The data key belongs to one database and is kept outside it (the OS
keyring or a passphrase; see services/protection/data_key.py).

The column type encrypts on the way in and decrypts on the way out, using the key
of the `Database` whose session is running in this thread (a context variable set
by `Database.read()` / `write()`), so services see plain numbers and Core bulk
inserts are encrypted too. Rows written before encryption (plain text) read as
they are until the one-time sweep encrypts them.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import ColumnElement, String, and_, literal
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

from frontdesk.errors import UserError

PREFIX = "e1:"
KEY_BYTES = 32
_NONCE_BYTES = 12
_LOOKUP_CHARS = 24  # 96 bits of HMAC: collisions among a community's numbers are negligible
_AAD = b"frontdesk id number"
# What a reader without the key sees instead of a number.
LOCKED_TEXT = "（已加密）"


class KeyUnavailable(UserError):
    """An ID number must be written or read but this PC has no key for the database."""

    def __init__(self, message: str = "") -> None:
        super().__init__(
            message or "证件号码已加密，本机还没有这个数据库的密钥。请用恢复码或口令解锁后再试。"
        )


class IdCipher:
    """AES-GCM for the numbers, HMAC for their look-up prefix; one per database key."""

    def __init__(self, key: bytes) -> None:
        if len(key) != KEY_BYTES:
            raise ValueError("data key must be 32 bytes")
        self.key = key  # kept for the recovery code and for re-wrapping under a passphrase
        self._aead = AESGCM(key)
        self._mac_key = HKDF(
            algorithm=hashes.SHA256(), length=32, salt=None, info=b"frontdesk id lookup"
        ).derive(key)
        # The audit chain's HMAC key (db/audit.py): never stored, derived on each open.
        self.chain_key = HKDF(
            algorithm=hashes.SHA256(), length=32, salt=None, info=b"frontdesk audit chain"
        ).derive(key)

    def lookup(self, plain: str) -> str:
        digest = hmac.new(self._mac_key, plain.encode(), hashlib.sha256).hexdigest()
        return digest[:_LOOKUP_CHARS]

    def encrypt(self, plain: str) -> str:
        nonce = os.urandom(_NONCE_BYTES)
        sealed = self._aead.encrypt(nonce, plain.encode(), _AAD)
        body = base64.b64encode(nonce + sealed).decode()
        return f"{PREFIX}{self.lookup(plain)}:{body}"

    def decrypt(self, token: str) -> str:
        raw = base64.b64decode(token.rsplit(":", 1)[1])
        try:
            return self._aead.decrypt(raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], _AAD).decode()
        except InvalidTag:
            return LOCKED_TEXT  # another database's key: never show garbage

    def check_token(self) -> str:
        """A fixed text sealed with the key: proves a key offered later is the right one."""
        return self.encrypt("FrontDesk")

    def opens(self, check: str) -> bool:
        return self.decrypt(check) == "FrontDesk"


_current: ContextVar[IdCipher | None] = ContextVar("frontdesk_id_cipher", default=None)


@contextmanager
def using(cipher: IdCipher | None) -> Iterator[None]:
    """Make `cipher` the one ID-number columns use in this thread for the block."""
    token = _current.set(cipher)
    try:
        yield
    finally:
        _current.reset(token)


def is_locked() -> bool:
    """True when no key is open for the session running in this thread."""
    return _current.get() is None


def chain_key() -> bytes | None:
    """The audit chain's key for the session running in this thread (None: no key open)."""
    cipher = _current.get()
    return cipher.chain_key if cipher is not None else None


# The whole shape, not just the prefix: typed text that merely starts with "e1:" is
# a value to encrypt, never one to store as it is.
_TOKEN = re.compile(rf"^{PREFIX}[0-9a-f]{{{_LOOKUP_CHARS}}}:[A-Za-z0-9+/]+=*$")


def is_encrypted(stored: str | None) -> bool:
    return bool(stored) and _TOKEN.match(str(stored)) is not None


class EncryptedIdNumber(TypeDecorator[str]):
    """A column of identity-document numbers, encrypted with the database's key."""

    impl = String(200)
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        if not value or is_encrypted(value):
            return value
        cipher = _current.get()
        if cipher is None:
            raise KeyUnavailable()
        return cipher.encrypt(value)

    def process_result_value(self, value: str | None, dialect: Dialect) -> str | None:
        if not is_encrypted(value):
            return value
        cipher = _current.get()
        return cipher.decrypt(str(value)) if cipher else LOCKED_TEXT


def number_is(column: Any, plain: str) -> ColumnElement[bool]:
    """Exact match of an encrypted column against a plain number (index-friendly range)."""
    cipher = _current.get()
    if cipher is None:
        raise KeyUnavailable()
    start = f"{PREFIX}{cipher.lookup(plain)}:"
    # ';' follows ':' in ASCII: every token with this prefix sorts between the two.
    # literal() keeps the bounds out of the column type's own encryption.
    return and_(column >= literal(start, String()), column < literal(start[:-1] + ";", String()))


# --- Phone numbers (issue 18): the same sealed form, under keys of their own ---------
#
# A stored phone is `e1:<lookup>:<nonce+ciphertext>` like an ID number, but its
# look-up is an HMAC of the number's digits alone (so 010-12345678 and 01012345678
# are one number) under a key derived with its own HKDF info, and the ciphertext is
# bound to another AAD: a phone token pasted into an ID-number column does not open.
# Searching by the last four or more digits goes through a table of keyed tokens,
# one per digit tail of each searchable phone (db/phone_index.py).

_PHONE_AAD = b"frontdesk phone"
MIN_TAIL = 4  # the shortest tail a clerk may search by
MAX_TAIL = 20  # landlines with an extension: longer than this is not a phone
_NOT_DIGIT = re.compile(r"\D")


def phone_digits(plain: str) -> str:
    """What a phone's look-ups are computed from: its digits, in order."""
    return _NOT_DIGIT.sub("", plain)


class PhoneCipher:
    """AES-GCM for phones, with two HMAC keys of their own: the whole number's
    look-up (equality) and the digit tails' tokens (search by last digits)."""

    def __init__(self, key: bytes) -> None:
        self._aead = AESGCM(key)
        lookup_key, tail_key = (
            HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(key)
            for info in (b"frontdesk phone lookup", b"frontdesk phone tail")
        )
        self._lookup = hmac.new(lookup_key, digestmod=hashlib.sha256)
        self._tail = hmac.new(tail_key, digestmod=hashlib.sha256)

    def lookup(self, plain: str) -> str:
        mac = self._lookup.copy()
        mac.update(phone_digits(plain).encode())
        return mac.hexdigest()[:_LOOKUP_CHARS]

    def tail_token(self, digits: str) -> str:
        """The token of one digit tail ("5678", "45678", …, the whole number)."""
        mac = self._tail.copy()
        mac.update(digits.encode())
        return mac.hexdigest()[:_LOOKUP_CHARS]

    def tail_tokens(self, plain: str) -> list[str]:
        """One token for each tail of MIN_TAIL digits or more (a mobile: 8)."""
        digits = phone_digits(plain)[-MAX_TAIL:]
        return [self.tail_token(digits[-n:]) for n in range(MIN_TAIL, len(digits) + 1)]

    def encrypt(self, plain: str) -> str:
        nonce = os.urandom(_NONCE_BYTES)
        sealed = self._aead.encrypt(nonce, plain.encode(), _PHONE_AAD)
        body = base64.b64encode(nonce + sealed).decode()
        return f"{PREFIX}{self.lookup(plain)}:{body}"

    def decrypt(self, token: str) -> str:
        raw = base64.b64decode(token.rsplit(":", 1)[1])
        try:
            return self._aead.decrypt(raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], _PHONE_AAD).decode()
        except InvalidTag:
            return LOCKED_TEXT


_phone_ciphers: dict[bytes, PhoneCipher] = {}


def phone_cipher(cipher: IdCipher) -> PhoneCipher:
    """The phone keys that go with a database's data key (derived once per key)."""
    found = _phone_ciphers.get(cipher.key)
    if found is None:
        found = _phone_ciphers[cipher.key] = PhoneCipher(cipher.key)
    return found


def current_phone_cipher() -> PhoneCipher | None:
    """The phone keys of the session running in this thread; None when locked."""
    cipher = _current.get()
    return phone_cipher(cipher) if cipher is not None else None


class PhoneKeyUnavailable(KeyUnavailable):
    """A phone (or, with `text`, whole personal data) is needed but this PC has no key."""

    def __init__(self, text: str = "") -> None:
        UserError.__init__(
            self, text or "电话号码已加密，本机还没有这个数据库的密钥。请用恢复码或口令解锁后再试。"
        )


def require_key() -> PhoneCipher:
    """For reads that show or write whole numbers (exports, roll calls, unmasking):
    refuse when no key is open rather than put 「（已加密）」 where a number belongs."""
    cipher = current_phone_cipher()
    if cipher is None:
        raise PhoneKeyUnavailable(
            "证件号码和电话号码已加密，本机还没有这个数据库的密钥，不能导出或查看完整号码。"
            "请用恢复码或口令解锁后再试。"
        )
    return cipher


class EncryptedPhone(TypeDecorator[str]):
    """A column of phone numbers, encrypted with the database's key."""

    impl = String(200)
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        if not value or is_encrypted(value):
            return value
        cipher = current_phone_cipher()
        if cipher is None:
            raise PhoneKeyUnavailable()
        return cipher.encrypt(value)

    def process_result_value(self, value: str | None, dialect: Dialect) -> str | None:
        if not is_encrypted(value):
            return value
        cipher = current_phone_cipher()
        return cipher.decrypt(str(value)) if cipher else LOCKED_TEXT


def phone_is(column: Any, plain: str) -> ColumnElement[bool]:
    """Exact match of an encrypted phone column against a number, whatever its dashes."""
    cipher = current_phone_cipher()
    if cipher is None:
        raise PhoneKeyUnavailable()
    start = f"{PREFIX}{cipher.lookup(plain)}:"
    return and_(column >= literal(start, String()), column < literal(start[:-1] + ";", String()))
