"""First-run setup, sign-in with lockout, and staff accounts."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from frontdesk.db.audit import write_entry
from frontdesk.db.base import utcnow
from frontdesk.db.engine import Database
from frontdesk.db.models import Community, User
from frontdesk.domain.roles import SYSTEM, Actor, Permission, Role
from frontdesk.errors import (
    AuthenticationFailed,
    DatabaseBusy,
    NotFound,
    UserError,
    ValidationError,
)
from frontdesk.services.access import require

MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=15)
MIN_PASSWORD_LENGTH = 8
_USERNAME = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]{1,39}$")
# argon2-cffi's default cost (RFC 9106's low-memory profile: 64 MiB, three passes), a
# tenth of a second a hash; nothing a user or an installation sets can lower it. Only the
# test suite swaps in a cheap hasher (tests/cheap_hashing.py).
_hasher = PasswordHasher()


@dataclass(frozen=True)
class UserRow:
    id: int
    username: str
    display_name: str
    role: Role
    active: bool
    locked_until: datetime | None
    last_login_at: datetime | None


def _row(user: User) -> UserRow:
    return UserRow(
        user.id,
        user.username,
        user.display_name,
        user.role,
        user.active,
        user.locked_until,
        user.last_login_at,
    )


def _actor(user: User) -> Actor:
    return Actor(user.id, user.username, user.display_name, user.role)


def check_password_rule(password: str, field: str = "密码") -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(field, f"至少 {MIN_PASSWORD_LENGTH} 位")
    if password.isdigit() or password.isalpha():
        raise ValidationError(field, "须同时包含字母和数字")


def _check_username(username: str) -> str:
    username = username.strip()
    if not _USERNAME.match(username):
        raise ValidationError("用户名", "须以字母开头，2-40 位字母、数字、下划线、点或横线")
    return username


def _check_display_name(name: str) -> str:
    name = name.strip()
    if not name:
        raise ValidationError("姓名", "不能为空")
    if len(name) > 40:
        raise ValidationError("姓名", "不能超过 40 个字")
    return name


def setup_needed(db: Database) -> bool:
    """True until the first run has created the community and the administrator."""
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(User)) == 0


@dataclass(frozen=True)
class FirstRunInput:
    community_name: str
    admin_username: str
    admin_display_name: str
    password: str
    password_again: str


def initialize(db: Database, data: FirstRunInput) -> Actor:
    """Create the community and the administrator account; refused once done."""
    name = data.community_name.strip()
    if not name:
        raise ValidationError("小区名称", "不能为空")
    username = _check_username(data.admin_username)
    display = _check_display_name(data.admin_display_name)
    check_password_rule(data.password)
    if data.password != data.password_again:
        raise ValidationError("确认密码", "两次输入的密码不一致")
    password_hash = _hasher.hash(data.password)  # hashed before the write lock is taken
    with db.write(SYSTEM) as session:
        if session.scalar(select(func.count()).select_from(User)):
            raise UserError("系统已初始化，不能重复设置。")
        session.add(Community(id=1, name=name, address="", service_phone="", company_name=""))
        admin = User(
            username=username,
            display_name=display,
            role=Role.ADMIN,
            password_hash=password_hash,
        )
        session.add(admin)
        session.flush()
        return _actor(admin)


def _find_user(session: Session, username: str) -> User | None:
    return session.scalar(select(User).where(User.username == username.strip()))


def _locked_message(until: datetime) -> str:
    local = until.astimezone().strftime("%H:%M")
    return f"密码错误次数过多，账户已锁定，请于 {local} 后再试，或请管理员解锁。"


def hash_password(password: str) -> str:
    """A password's stored form: argon2id with a new salt, at the accounts' cost."""
    return _hasher.hash(password)


def _verify_hash(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@dataclass(frozen=True)
class _Seen:
    """What a sign-in read of the account, before the password is checked."""

    user_id: int
    password_hash: str
    locked_until: datetime | None


def _read_account(db: Database, username: str) -> _Seen | None:
    with db.read() as session:
        user = _find_user(session, username)
        if user is None or not user.active:
            return None
        return _Seen(user.id, user.password_hash, user.locked_until)


def _settle(user: User, correct: bool, new_hash: str | None, now: datetime) -> str | None:
    """Count one attempt whose password was checked already; returns an error or None."""
    if user.locked_until and user.locked_until > now:
        return _locked_message(user.locked_until)
    if correct:
        user.failed_logins = 0
        user.locked_until = None
        if new_hash is not None:
            user.password_hash = new_hash
        return None
    user.failed_logins += 1
    if user.failed_logins >= MAX_FAILED_LOGINS:
        user.failed_logins = 0
        user.locked_until = now + LOCKOUT
        return _locked_message(user.locked_until)
    left = MAX_FAILED_LOGINS - user.failed_logins
    return f"用户名或密码错误（再错 {left} 次将锁定 15 分钟）。"


def _record_unknown(db: Database, username: str, now: datetime, via: str) -> None:
    with db.write(SYSTEM) as session:
        write_entry(
            session.connection(),
            SYSTEM,
            "login_failed",
            "app_user",
            "",
            f"登录失败{via}：用户名「{username.strip()[:40]}」不存在或已停用",
            at=now,
        )


_CHANGED = "账户刚被修改（密码重设或停用），请重新登录。"
_ATTEMPTS = 3  # a password changed between the check and the write is checked again
# The sign-in's own write is a few milliseconds, but fifty counters hashing at once on
# one PC can starve whichever holds the lock; as the password is checked already,
# meeting the busy timeout only means trying that short write again.
_WRITE_TRIES = 3


def _record_attempt(
    db: Database, seen: _Seen, correct: bool, new_hash: str | None, now: datetime, via: str
) -> tuple[Actor, str | None] | None:
    """The short write of one checked attempt: the actor and an error (None when signed
    in), or None when the account changed since it was read."""
    with db.write(SYSTEM) as session:
        user = session.get(User, seen.user_id)
        if (
            user is None
            or not user.active
            or user.password_hash != seen.password_hash
            # unlocked meanwhile: its password, left unchecked, must be checked now
            or (user.locked_until != seen.locked_until and not correct)
        ):
            return None
        error = _settle(user, correct, new_hash, now)
        actor = _actor(user)
        if error is None:
            user.last_login_at = now
            summary, action = f"{user.display_name}登录{via}", "login"
        else:
            summary, action = f"{user.display_name}登录失败{via}", "login_failed"
        session.flush()
        write_entry(session.connection(), actor, action, "app_user", str(user.id), summary, at=now)
        return actor, error


def _record_patiently(
    db: Database, seen: _Seen, correct: bool, new_hash: str | None, now: datetime, via: str
) -> tuple[Actor, str | None] | None:
    for tried in range(1, _WRITE_TRIES + 1):
        try:
            return _record_attempt(db, seen, correct, new_hash, now, via)
        except DatabaseBusy:
            if tried == _WRITE_TRIES:
                raise
    return None  # not reached: the last try returns or raises


def login(
    db: Database, username: str, password: str, now: datetime | None = None, *, via: str = ""
) -> Actor:
    """Sign in; failures are counted and audited even though the sign-in fails. `via`
    ends the audit summary where the sign-in was not at the window (“（命令行）”).

    The password is checked (argon2, a tenth of a second of CPU) outside any write
    transaction: the account is read, the hash verified, and only then a short write
    records the sign-in, counts a failure or stores a rehash — provided the stored hash
    is still the one verified; otherwise the attempt is made again with the new one.
    Fifty counters signing in at once therefore never wait on each other's hashing.
    """
    now = now or utcnow()
    for _ in range(_ATTEMPTS):
        seen = _read_account(db, username)
        if seen is None:
            _record_unknown(db, username, now, via)
            raise AuthenticationFailed("用户名或密码错误。")
        locked = seen.locked_until is not None and seen.locked_until > now
        # A locked account's password is not even checked: the lock stands either way.
        correct = not locked and _verify_hash(seen.password_hash, password)
        rehash = correct and _hasher.check_needs_rehash(seen.password_hash)
        new_hash = _hasher.hash(password) if rehash else None
        recorded = _record_patiently(db, seen, correct, new_hash, now, via)
        if recorded is None:
            continue
        actor, error = recorded
        if error is not None:
            raise AuthenticationFailed(error)
        return actor
    raise AuthenticationFailed(_CHANGED)


def unlock_session(db: Database, actor: Actor, password: str, now: datetime | None = None) -> None:
    """Re-enter the password after the idle lock; same counting as a sign-in."""
    login(db, actor.username, password, now)


def list_users(db: Database, actor: Actor) -> list[UserRow]:
    require(actor, Permission.MANAGE_USERS)
    with db.read() as session:
        return [_row(u) for u in session.scalars(select(User).order_by(User.username))]


@dataclass(frozen=True)
class NewUser:
    username: str
    display_name: str
    role: Role
    password: str


def create_user(db: Database, actor: Actor, data: NewUser) -> UserRow:
    require(actor, Permission.MANAGE_USERS)
    username = _check_username(data.username)
    display = _check_display_name(data.display_name)
    check_password_rule(data.password, "初始密码")
    password_hash = _hasher.hash(data.password)  # hashed before the write lock is taken
    with db.write(actor) as session:
        if _find_user(session, username):
            raise ValidationError("用户名", f"「{username}」已被使用")
        user = User(
            username=username,
            display_name=display,
            role=data.role,
            password_hash=password_hash,
        )
        session.add(user)
        session.flush()
        return _row(user)


def _get(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("该用户不存在。")
    return user


def _admins_left(session: Session, excluding: int) -> int:
    query = (
        select(func.count())
        .select_from(User)
        .where(User.role == Role.ADMIN, User.active.is_(True), User.id != excluding)
    )
    return session.scalar(query) or 0


def update_user(
    db: Database, actor: Actor, user_id: int, display_name: str, role: Role, active: bool
) -> UserRow:
    """Change name, role or active flag; the last active administrator cannot be demoted."""
    require(actor, Permission.MANAGE_USERS)
    display = _check_display_name(display_name)
    with db.write(actor) as session:
        user = _get(session, user_id)
        losing_admin = user.role == Role.ADMIN and (role != Role.ADMIN or not active)
        if losing_admin and _admins_left(session, user.id) == 0:
            raise UserError("至少需要保留一个启用的系统管理员账户。")
        user.display_name, user.role, user.active = display, role, active
        session.flush()
        return _row(user)


def reset_password(db: Database, actor: Actor, user_id: int, new_password: str) -> None:
    """An administrator sets a new password (also clears a lockout)."""
    require(actor, Permission.MANAGE_USERS)
    check_password_rule(new_password, "新密码")
    password_hash = _hasher.hash(new_password)  # hashed before the write lock is taken
    with db.write(actor) as session:
        user = _get(session, user_id)
        user.password_hash = password_hash
        user.failed_logins, user.locked_until = 0, None


def unlock_user(db: Database, actor: Actor, user_id: int) -> None:
    require(actor, Permission.MANAGE_USERS)
    with db.write(actor) as session:
        user = _get(session, user_id)
        user.failed_logins, user.locked_until = 0, None


def change_own_password(
    db: Database, actor: Actor, old_password: str, new_password: str, again: str
) -> None:
    check_password_rule(new_password, "新密码")
    if new_password != again:
        raise ValidationError("确认密码", "两次输入的密码不一致")
    if actor.user_id is None:
        raise UserError("系统账户没有密码。")
    # Both hashes are worked out before the write lock is taken, as at sign-in; the
    # write stores the new one only if the password checked is still the stored one.
    with db.read() as session:
        checked = _get(session, actor.user_id).password_hash
    if not _verify_hash(checked, old_password):
        raise ValidationError("原密码", "不正确")
    password_hash = _hasher.hash(new_password)
    with db.write(actor) as session:
        user = _get(session, actor.user_id)
        if user.password_hash != checked:
            raise UserError(_CHANGED)
        user.password_hash = password_hash


def record_session_event(db: Database, actor: Actor, action: str) -> None:
    """Audit a sign-out ("logout") or an idle lock ("lock")."""
    summary = {"logout": "退出登录", "lock": "长时间无操作，自动锁屏"}[action]
    with db.write(actor) as session:
        write_entry(
            session.connection(),
            actor,
            action,
            "app_user",
            str(actor.user_id or ""),
            f"{actor.display_name}{summary}",
        )
