"""Sign-in never hashes a password while holding the write lock.

Checking an argon2 hash costs a tenth of a second of CPU. When it was done inside the
sign-in's write transaction, sixteen counters signing in at once took 3.7 s of the
5 s busy timeout and more were refused; now the hash is checked between a read and a
short write, so fifty sign-ins at once on one file all succeed (real processes, each
with its own connection, released together by a barrier).
"""

from __future__ import annotations

import multiprocessing
import sqlite3
from typing import Any

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select, text

import frontdesk.db.engine as engine
from frontdesk.db.migrate import open_database
from frontdesk.db.models import AuditEntry, User
from frontdesk.db.protection import IdCipher
from frontdesk.db.server import open_server
from frontdesk.domain.location import ServerLocation, parse_location
from frontdesk.domain.roles import Actor, Role
from frontdesk.errors import AuthenticationFailed
from frontdesk.services import users
from frontdesk.services.database import Database
from frontdesk.services.protection import audit
from tests.conftest import STAFF_PASSWORD

SIGN_INS = 50
HANG_GUARD = 600  # seconds; only so that a dead child cannot hang the suite


def write_lock_free(db: Database) -> bool:
    """True if another connection could take the write lock this instant: BEGIN IMMEDIATE
    on a file, the writers' advisory lock on a server (db/engine.py)."""
    if db.engine.dialect.name != "sqlite":
        with db.engine.connect() as probe, probe.begin():  # released as the probe ends
            query = text("SELECT pg_try_advisory_xact_lock(:key)")
            return bool(probe.scalar(query, {"key": engine.WRITER_LOCK}))
    probe = sqlite3.connect(db.engine.url.database or "", timeout=0, isolation_level=None)
    try:
        probe.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError:
        return False
    finally:
        if probe.in_transaction:
            probe.execute("ROLLBACK")
        probe.close()
    return True


class WatchingHasher(PasswordHasher):
    """The real hasher, noting whether the write lock was free at every hash it works out."""

    def __init__(self, db: Database, *, needs_rehash: bool = False) -> None:
        super().__init__()
        self.db = db
        self.lock_free_at: list[tuple[str, bool]] = []
        self.needs_rehash = needs_rehash

    def verify(self, hash: str | bytes, password: str | bytes) -> bool:
        self.lock_free_at.append(("verify", write_lock_free(self.db)))
        return super().verify(hash, password)

    def hash(self, password: str | bytes, *, salt: bytes | None = None) -> str:
        self.lock_free_at.append(("hash", write_lock_free(self.db)))
        return super().hash(password, salt=salt)

    def check_needs_rehash(self, hash: str | bytes) -> bool:
        return self.needs_rehash or super().check_needs_rehash(hash)


def test_the_password_is_checked_and_rehashed_outside_the_write_lock(
    db: Database, admin: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    users.create_user(db, admin, users.NewUser("clerk1", "前台甲", Role.CLERK, STAFF_PASSWORD))
    with db.write(admin) as session:  # the probe sees a write lock held
        session.execute(select(User.id).limit(1))  # the transaction begins, its lock taken
        assert not write_lock_free(db)
    assert write_lock_free(db)
    watching = WatchingHasher(db, needs_rehash=True)
    monkeypatch.setattr(users, "_hasher", watching)
    assert users.login(db, "clerk1", STAFF_PASSWORD).username == "clerk1"
    with pytest.raises(AuthenticationFailed, match="再错 4 次"):
        users.login(db, "clerk1", "wrong-password1")
    assert watching.lock_free_at == [("verify", True), ("hash", True), ("verify", True)]
    monkeypatch.setattr(users, "_hasher", PasswordHasher())
    assert users.login(db, "clerk1", STAFF_PASSWORD).username == "clerk1"  # rehash kept


def test_staff_accounts_hash_new_passwords_outside_the_write_lock(
    db: Database, admin: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    watching = WatchingHasher(db)
    monkeypatch.setattr(users, "_hasher", watching)
    row = users.create_user(
        db, admin, users.NewUser("clerk1", "前台甲", Role.CLERK, STAFF_PASSWORD)
    )
    users.reset_password(db, admin, row.id, "again1234")
    clerk = users.login(db, "clerk1", "again1234")
    users.change_own_password(db, clerk, "again1234", "third1234", "third1234")
    assert [free for _, free in watching.lock_free_at] == [True] * 5
    assert users.login(db, "clerk1", "third1234").username == "clerk1"


def test_a_password_reset_between_the_check_and_the_write_is_not_let_through(
    db: Database, admin: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The old password checked out, but the administrator reset it meanwhile: the
    attempt is made again against the new hash, and refused."""
    row = users.create_user(
        db, admin, users.NewUser("clerk1", "前台甲", Role.CLERK, STAFF_PASSWORD)
    )
    real = users._hasher
    reset_done: list[bool] = []

    class ResettingHasher(PasswordHasher):
        def verify(self, hash: str | bytes, password: str | bytes) -> bool:
            result = real.verify(hash, password)
            if not reset_done:
                reset_done.append(True)
                monkeypatch.setattr(users, "_hasher", real)
                users.reset_password(db, admin, row.id, "newpass123")
                monkeypatch.setattr(users, "_hasher", self)
            return result

    monkeypatch.setattr(users, "_hasher", ResettingHasher())
    with pytest.raises(AuthenticationFailed, match="用户名或密码错误"):
        users.login(db, "clerk1", STAFF_PASSWORD)
    assert reset_done == [True]
    with db.read() as session:
        actions = list(session.scalars(select(AuditEntry.action).order_by(AuditEntry.id.desc())))
    assert actions[0] == "login_failed"  # counted once, against the new password
    assert "login" not in actions[:2]


def _sign_in(place: str, key: str, username: str, barrier: Any, results: Any) -> None:
    """Child process: open the database like a counter PC (its key, which signs the audit
    log, handed over directly: the child has no keyring), wait for the others, sign in."""
    location = parse_location(place)
    db = (
        open_server(location, None)
        if isinstance(location, ServerLocation)
        else open_database(location.path)
    )
    db.cipher = IdCipher(bytes.fromhex(key))
    try:
        barrier.wait(HANG_GUARD)
        try:
            actor = users.login(db, username, STAFF_PASSWORD)
            results.put((username, "ok", actor.username))
        except Exception as exc:  # reported to the parent, which names it
            results.put((username, type(exc).__name__, str(exc)))
    finally:
        db.dispose()


def test_fifty_counters_sign_in_at_once(db: Database, admin: Actor) -> None:
    one_hash = PasswordHasher().hash(STAFF_PASSWORD)  # one argon2 run for fifty accounts
    names = [f"counter{n:02d}" for n in range(SIGN_INS)]
    with db.write(admin) as session:
        session.add_all(
            User(
                username=name,
                display_name=f"收费员{n}",
                role=Role.CASHIER.value,
                password_hash=one_hash,
            )
            for n, name in enumerate(names)
        )
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["frontdesk.services.users", "frontdesk.db.migrate"])
    barrier = context.Barrier(SIGN_INS)
    results = context.Queue()
    assert db.cipher is not None
    key = db.cipher.key.hex()
    children = [
        context.Process(target=_sign_in, args=(db.place, key, name, barrier, results))
        for name in names
    ]
    for child in children:
        child.start()
    outcomes = sorted(results.get(timeout=HANG_GUARD) for _ in children)
    for child in children:
        child.join(HANG_GUARD)
        assert child.exitcode == 0
    refused = [o for o in outcomes if o[1] != "ok"]
    assert refused == [], f"{len(refused)} of {SIGN_INS} refused, e.g. {refused[0]}"
    assert outcomes == [(name, "ok", name) for name in names]
    with db.read() as session:
        signed_in = session.scalars(
            select(AuditEntry.summary).where(
                AuditEntry.action == "login", AuditEntry.summary.like("收费员%")
            )
        ).all()
        last_logins = session.scalars(
            select(User.last_login_at).where(User.username.in_(names))
        ).all()
    assert sorted(signed_in) == sorted(f"收费员{n}登录" for n in range(SIGN_INS))
    assert all(at is not None for at in last_logins)
    assert audit.verify_chain(db).ok


def test_an_account_unlocked_while_its_sign_in_was_under_way_has_its_password_checked(
    db: Database, admin: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    row = users.create_user(
        db, admin, users.NewUser("clerk1", "前台甲", Role.CLERK, STAFF_PASSWORD)
    )
    for _ in range(users.MAX_FAILED_LOGINS):
        with pytest.raises(AuthenticationFailed):
            users.login(db, "clerk1", "wrong-password1")
    real_read = users._read_account

    def read_then_unlock(db: Database, username: str) -> users._Seen | None:
        seen = real_read(db, username)
        if seen is not None and seen.locked_until is not None:
            users.unlock_user(db, admin, row.id)  # the administrator, a moment later
        return seen

    monkeypatch.setattr(users, "_read_account", read_then_unlock)
    assert users.login(db, "clerk1", STAFF_PASSWORD).username == "clerk1"
    with db.read() as session:
        clerk = session.get(User, row.id)
        assert clerk is not None and clerk.failed_logins == 0 and clerk.locked_until is None
