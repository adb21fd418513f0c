"""The key that encrypts a database's ID numbers: made, kept, unlocked, recovered.

The key is 32 random bytes made once per database. It is kept outside the file:
in the OS keyring (Windows Credential Manager, macOS Keychain, Secret Service) — for a
database file under the key's own name (`data-key-…`, kept in the database), for a
database on a server under the server and database name (`host:port/dbname`, not the
user: every counter PC of that database keeps its own copy under the same name) — and
where a PC has none, wrapped under a passphrase (scrypt) in the `data_key` row, so
the passphrase is asked at start. Either way a printed recovery code (the key in
base32 with a checksum) opens the database on a new PC, e.g. after a restore.
"""

from __future__ import annotations

import base64
import hashlib
import os
import uuid
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

import keyring
import keyring.errors
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from keyring.backend import KeyringBackend
from sqlalchemy import Select, String, and_, literal, or_, select, update

from frontdesk.db import pg_tools
from frontdesk.db.audit import write_entry
from frontdesk.db.base import utcnow
from frontdesk.db.engine import Database
from frontdesk.db.models import (
    DataKey,
    GoodsPass,
    ItemLoan,
    KeyLending,
    LostItem,
    Person,
    Renovation,
    RenovationWorker,
    ServiceStaff,
    Visit,
    VisitBooking,
    WatchEntry,
    WorkOrder,
)
from frontdesk.db.phone_index import SEARCHED, reindex
from frontdesk.db.protection import KEY_BYTES, PREFIX, IdCipher, KeyUnavailable, phone_cipher
from frontdesk.db.who import stamp
from frontdesk.domain.roles import SYSTEM, Actor, Permission
from frontdesk.errors import UserError, ValidationError
from frontdesk.services.access import require
from frontdesk.services.protection import audit

KEYRING_SERVICE = "FrontDesk"
# Scripts and scheduled tasks on a PC without a keyring give the passphrase here.
PASSPHRASE_VARIABLE = "FRONTDESK_PASSPHRASE"
MIN_PASSPHRASE = 8
_WRAP_AAD = b"frontdesk data key"
_CHECKSUM_BYTES = 3  # 32 + 3 bytes = 56 base32 characters, no padding
_ENCRYPTED_MODELS = (Person, RenovationWorker, Visit, WatchEntry)
# Every phone column of a person (migration 0015, then 0022): model -> its phone columns.
_PHONE_COLUMNS: tuple[tuple[Any, tuple[str, ...]], ...] = (
    (Person, ("phone",)),
    (Visit, ("visitor_phone",)),
    (VisitBooking, ("visitor_phone",)),
    (WatchEntry, ("phone",)),
    (Renovation, ("applicant_phone", "contractor_phone")),
    (RenovationWorker, ("phone",)),
    (WorkOrder, ("caller_phone",)),
    (ServiceStaff, ("phone",)),
    (GoodsPass, ("applicant_phone",)),
    (KeyLending, ("borrower_phone",)),
    (ItemLoan, ("borrower_phone",)),
    (LostItem, ("finder_phone", "claimant_phone")),
)
_SEARCHED = {(model, name): entity for entity, (model, name) in SEARCHED.items()}


class KeyState(StrEnum):
    READY = "ready"
    NEEDS_NEW_PASSPHRASE = "needs_new_passphrase"  # a new database on a PC without keyring
    NEEDS_PASSPHRASE = "needs_passphrase"
    NEEDS_RECOVERY = "needs_recovery"  # the key is neither in this keyring nor wrapped


class KeeperMode(StrEnum):
    KEYRING = "keyring"
    PASSPHRASE = "passphrase"

    @property
    def label(self) -> str:
        return SECURE_STORE if self is KeeperMode.KEYRING else "口令"


# What a clerk reads for the system keyring: where the key is kept, said plainly
# (the counters run Windows, whose keyring is the Credential Manager).
SECURE_STORE = "本机安全存储（Windows 凭据管理器）"
NO_SECURE_STORE = "这台电脑不能使用安全存储（Windows 凭据管理器）"


def keyring_usable() -> bool:
    """False on a bare Linux box (keyring falls back to its fail/null backends)."""
    backend = keyring.get_keyring()
    return _usable(backend)


def _usable(backend: KeyringBackend) -> bool:
    children = getattr(backend, "backends", None)
    if children is not None:
        return any(_usable(child) for child in children)
    return type(backend).__module__ not in {"keyring.backends.fail", "keyring.backends.null"}


def _keyring_get(key_id: str) -> bytes | None:
    try:
        stored = keyring.get_password(KEYRING_SERVICE, key_id)
    except keyring.errors.KeyringError:
        return None
    return base64.b64decode(stored) if stored else None


def _keyring_put(key_id: str, key: bytes) -> bool:
    try:
        keyring.set_password(KEYRING_SERVICE, key_id, base64.b64encode(key).decode())
    except keyring.errors.KeyringError:
        return False
    return True


def keyring_name(db: Database, key_id: str) -> str:
    """The keyring entry that keeps a database's key on this PC: the key's own name for a
    database file, `host:port/dbname` for a database on a server."""
    if pg_tools.is_server(db.engine.url):
        return pg_tools.place(db.engine.url)
    return key_id


def _kept_key(db: Database, row: DataKey) -> bytes | None:
    """This PC's copy of the key; on a server only one that opens this database (an
    entry left by an earlier database of the same name does not)."""
    key = _keyring_get(keyring_name(db, row.key_id))
    if key is None or not pg_tools.is_server(db.engine.url):
        return key
    return key if IdCipher(key).opens(row.check) else None


def _kek(passphrase: str, salt: bytes) -> bytes:
    # n=2**15 costs ~0.1 s and 32 MB: cheap once a day, dear for a guesser.
    return Scrypt(salt=salt, length=32, n=2**15, r=8, p=1).derive(passphrase.encode())


def _wrap(key: bytes, passphrase: str) -> tuple[str, str]:
    salt, nonce = os.urandom(16), os.urandom(12)
    sealed = AESGCM(_kek(passphrase, salt)).encrypt(nonce, key, _WRAP_AAD)
    return salt.hex(), base64.b64encode(nonce + sealed).decode()


def _unwrap(row: DataKey, passphrase: str) -> bytes:
    raw = base64.b64decode(row.wrapped_key)
    kek = _kek(passphrase, bytes.fromhex(row.salt))
    try:
        return AESGCM(kek).decrypt(raw[:12], raw[12:], _WRAP_AAD)
    except InvalidTag:
        raise UserError("口令不正确。") from None


def _check_passphrase(passphrase: str) -> None:
    if len(passphrase) < MIN_PASSPHRASE:
        raise ValidationError("口令", f"至少 {MIN_PASSPHRASE} 个字符")


def _row(db: Database) -> DataKey | None:
    with db.read() as session:
        return session.scalar(select(DataKey))


def state(db: Database) -> KeyState:
    """What opening this database's ID numbers needs now (no side effects)."""
    if db.cipher is not None:
        return KeyState.READY
    row = _row(db)
    if row is None:
        return KeyState.READY if keyring_usable() else KeyState.NEEDS_NEW_PASSPHRASE
    if _kept_key(db, row) is not None:
        return KeyState.READY
    return KeyState.NEEDS_PASSPHRASE if row.wrapped_key else KeyState.NEEDS_RECOVERY


def unlock(db: Database, passphrase: str | None = None) -> KeyState:
    """Open the key if this PC can: keyring first, then the passphrase if given.

    A database without a key gets one (kept in the keyring, or under `passphrase`
    where there is no keyring). Returns what is still needed, READY when done.
    """
    if db.cipher is not None:
        return KeyState.READY
    row = _row(db)
    if row is None:
        return _create(db, passphrase)
    key = _kept_key(db, row)
    if key is None and row.wrapped_key and passphrase is not None:
        key = _unwrap(row, passphrase)
    if key is None:
        return KeyState.NEEDS_PASSPHRASE if row.wrapped_key else KeyState.NEEDS_RECOVERY
    _open(db, row, key)
    return KeyState.READY


def _create(db: Database, passphrase: str | None) -> KeyState:
    # 40 characters, as the column holds (SQLite never enforced it; PostgreSQL does).
    key_id = f"data-key-{uuid.uuid4().hex[:31]}"
    key = os.urandom(KEY_BYTES)
    in_keyring = keyring_usable() and _keyring_put(keyring_name(db, key_id), key)
    if not in_keyring and passphrase is None:
        return KeyState.NEEDS_NEW_PASSPHRASE
    # With a keyring the passphrase is not needed: a new PC uses the recovery code.
    salt, wrapped = ("", "")
    if not in_keyring and passphrase is not None:
        _check_passphrase(passphrase)
        salt, wrapped = _wrap(key, passphrase)
    cipher = IdCipher(key)
    mode = KeeperMode.KEYRING if in_keyring else KeeperMode.PASSPHRASE
    # Open before the key's row is written: a database with a data key writes only
    # keyed audit entries, the first of them covering the plain chain before it.
    db.cipher = cipher
    audit.sign_chain(db)
    with db.write(SYSTEM) as session:
        session.add(
            DataKey(
                id=1,
                key_id=key_id,
                mode=mode.value,
                check=cipher.check_token(),
                salt=salt,
                wrapped_key=wrapped,
            )
        )
    _seal(db, cipher)
    return KeyState.READY


def _open(db: Database, row: DataKey, key: bytes) -> None:
    cipher = IdCipher(key)
    if not cipher.opens(row.check):
        raise UserError("密钥与本数据库不符（可能是另一个数据库的密钥）。")
    _seal(db, cipher)


def _in_clear(model: Any, name: str = "id_number") -> Select[Any]:
    column = model.__table__.c[name]
    clear = or_(column < literal(PREFIX, String()), column >= literal("e1;", String()))
    # Read raw: the type hands plain rows back unchanged anyway.
    return select(model.__table__.c.id, column).where(and_(column != "", clear))


def _clear_columns() -> list[tuple[Any, str]]:
    ids = [(model, "id_number") for model in _ENCRYPTED_MODELS]
    return ids + [(model, name) for model, names in _PHONE_COLUMNS for name in names]


def _seal(db: Database, cipher: IdCipher) -> None:
    """Encrypt numbers and phones still in the clear (written before 0010 and 0015),
    fill the phones' look-ups, then keep the cipher.

    Looked for under a read first: opening a sealed database takes no write lock."""
    db.cipher = cipher
    audit.sign_chain(db)
    with db.read() as session:
        if not any(session.execute(_in_clear(m, c).limit(1)).first() for m, c in _clear_columns()):
            return
    sealed = phones = 0
    tails = phone_cipher(cipher)
    with db.write(SYSTEM) as session:
        for model in _ENCRYPTED_MODELS:
            for row_id, number in session.execute(_in_clear(model)).all():
                session.execute(
                    update(model).where(model.__table__.c.id == row_id).values(id_number=number)
                )
                sealed += 1
        for model, names in _PHONE_COLUMNS:
            for name in names:
                found = session.execute(_in_clear(model, name)).all()
                table = model.__table__
                for row_id, phone in found:
                    session.execute(update(table).where(table.c.id == row_id).values({name: phone}))
                entity = _SEARCHED.get((model, name))
                if entity is not None:
                    reindex(session.connection(), tails, entity, [(i, p) for i, p in found])
                phones += len(found)
        parts = [f"证件号码 {sealed} 条"] if sealed else []
        parts += [f"电话号码 {phones} 个"] if phones else []
        write_entry(
            session.connection(),
            SYSTEM,
            "encrypt",
            "data_key",
            "1",
            f"{'、'.join(parts)}改为加密存储",
        )
    db.checkpoint()  # the pages with the clear values leave the file and its WAL now


def set_passphrase(db: Database, actor: Actor, passphrase: str) -> None:
    """Also keep the key under a passphrase (for counters whose PC has no keyring)."""
    require(actor, Permission.MANAGE_USERS)
    _check_passphrase(passphrase)
    cipher = _opened(db)
    salt, wrapped = _wrap(cipher.key, passphrase)
    with db.write(actor) as session:
        row = session.get_one(DataKey, 1)
        row.salt, row.wrapped_key = salt, wrapped


def _opened(db: Database) -> IdCipher:
    if db.cipher is None:
        raise KeyUnavailable()
    return db.cipher


def recovery_code(db: Database, actor: Actor) -> str:
    """The key as 14 groups of 4 characters, for paper; each export is audited."""
    require(actor, Permission.MANAGE_USERS)
    key = _opened(db).key
    checksum = hashlib.sha256(key).digest()[:_CHECKSUM_BYTES]
    text = base64.b32encode(key + checksum).decode()
    with db.write(actor) as session:
        row = session.get_one(DataKey, 1)
        row.recovery_exported_at = utcnow()
        stamp(row, "recovery_exported", actor, actor.username)
        write_entry(session.connection(), actor, "export", "data_key", "1", "导出数据密钥恢复码")
    return "-".join(text[i : i + 4] for i in range(0, len(text), 4))


def parse_recovery_code(text: str) -> bytes:
    """The key in a typed code; look-alike characters are forgiven."""
    compact = "".join(text.split()).replace("-", "").upper()
    compact = compact.translate(str.maketrans("018", "OIB"))
    field = "恢复码"
    if len(compact) != 56:
        raise ValidationError(field, f"应为 56 个字母和数字（现在 {len(compact)} 个）")
    try:
        raw = base64.b32decode(compact)
    except ValueError:
        raise ValidationError(field, "含有不该出现的字符，请逐组核对") from None
    key, checksum = raw[:KEY_BYTES], raw[KEY_BYTES:]
    if hashlib.sha256(key).digest()[:_CHECKSUM_BYTES] != checksum:
        raise ValidationError(field, "校验不符，请逐组核对是否抄错")
    return key


def recover(db: Database, code: str, new_passphrase: str | None = None) -> None:
    """Open the database with its recovery code and keep the key on this PC.

    Where this PC has no keyring, a new passphrase is required to keep it.
    """
    key = parse_recovery_code(code)
    row = _row(db)
    if row is None:
        raise UserError("这个数据库还没有数据密钥，不需要恢复码。")
    if not IdCipher(key).opens(row.check):
        raise UserError("恢复码与本数据库不符（可能是另一个数据库的恢复码）。")
    kept = keyring_usable() and _keyring_put(keyring_name(db, row.key_id), key)
    if not kept and new_passphrase is None:
        raise ValidationError("口令", f"{NO_SECURE_STORE}，请同时设置一个口令，以后启动时输入")
    _open(db, row, key)
    if new_passphrase is not None:
        _check_passphrase(new_passphrase)
        salt, wrapped = _wrap(key, new_passphrase)
        with db.write(SYSTEM) as session:
            stored = session.get_one(DataKey, 1)
            stored.salt, stored.wrapped_key = salt, wrapped
    with db.write(SYSTEM) as session:
        write_entry(
            session.connection(), SYSTEM, "recover", "data_key", "1", "用恢复码打开数据密钥"
        )


@dataclass(frozen=True)
class KeyInfo:
    key_id: str
    mode: KeeperMode
    in_keyring: bool
    has_passphrase: bool
    recovery_exported_at: datetime | None
    recovery_exported_by: str


def key_info(db: Database) -> KeyInfo | None:
    row = _row(db)
    if row is None:
        return None
    return KeyInfo(
        row.key_id,
        KeeperMode(row.mode),
        _kept_key(db, row) is not None,
        bool(row.wrapped_key),
        row.recovery_exported_at,
        row.recovery_exported_by,
    )


def copy_key(source: Database | str, target: Database) -> bool:
    """Keep the key that opens `source` in this PC's keyring under `target`'s name too,
    where it opens `target` (the same data key row: `move-to` copied a database file to
    a server, or a dump was restored into another database). The key comes from
    `source`'s open cipher or this PC's keyring (`source` may be a keyring entry's name,
    `keyring_name`). True when kept (or already there)."""
    if isinstance(source, str):
        key = _keyring_get(source)
    elif source.cipher is not None:
        key = source.cipher.key
    else:
        row = _row(source)
        key = _kept_key(source, row) if row is not None else None
    target_row = _row(target)
    if key is None or target_row is None or not IdCipher(key).opens(target_row.check):
        return False
    if _kept_key(target, target_row) == key:
        return True
    return keyring_usable() and _keyring_put(keyring_name(target, target_row.key_id), key)
