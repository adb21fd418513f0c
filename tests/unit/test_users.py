"""Sign-in, lockout, accounts and permissions, as the counter experiences them."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta

import pytest
from argon2 import PasswordHasher, extract_parameters
from argon2.profiles import RFC_9106_LOW_MEMORY
from sqlalchemy import select

from frontdesk.db.base import utcnow
from frontdesk.db.models import User
from frontdesk.domain.roles import Role
from frontdesk.errors import AuthenticationFailed, PermissionDenied, UserError, ValidationError
from frontdesk.services import community, users
from frontdesk.services.database import Database
from frontdesk.services.protection import audit
from tests.cheap_hashing import CHEAP_HASHER
from tests.conftest import ADMIN_PASSWORD, STAFF_PASSWORD


def test_first_run_creates_community_and_admin(fresh_db: Database) -> None:
    assert users.setup_needed(fresh_db)
    actor = users.initialize(
        fresh_db, users.FirstRunInput(" 锦绣华庭 ", "admin", "王主任", "abc12345", "abc12345")
    )
    assert actor.role is Role.ADMIN
    assert not users.setup_needed(fresh_db)
    assert community.get_community(fresh_db).name == "锦绣华庭"
    assert users.login(fresh_db, "admin", "abc12345").display_name == "王主任"


def test_first_run_cannot_be_repeated(db: Database) -> None:
    with pytest.raises(UserError, match="已初始化"):
        users.initialize(
            db, users.FirstRunInput("别的小区", "boss", "老板", "abc12345", "abc12345")
        )


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (users.FirstRunInput("", "admin", "王", "abc12345", "abc12345"), "小区名称"),
        (users.FirstRunInput("小区", "1admin", "王", "abc12345", "abc12345"), "用户名"),
        (users.FirstRunInput("小区", "admin", " ", "abc12345", "abc12345"), "姓名"),
        (users.FirstRunInput("小区", "admin", "王", "abc123", "abc123"), "密码"),
        (users.FirstRunInput("小区", "admin", "王", "12345678", "12345678"), "密码"),
        (users.FirstRunInput("小区", "admin", "王", "abc12345", "abc12346"), "确认密码"),
    ],
)
def test_first_run_names_the_bad_field_and_saves_nothing(
    fresh_db: Database, data: users.FirstRunInput, field: str
) -> None:
    with pytest.raises(ValidationError) as error:
        users.initialize(fresh_db, data)
    assert error.value.field == field
    assert users.setup_needed(fresh_db)


def test_wrong_password_counts_down_then_locks_for_15_minutes(db: Database) -> None:
    now = utcnow()
    for left in (4, 3, 2, 1):
        with pytest.raises(AuthenticationFailed, match=f"再错 {left} 次"):
            users.login(db, "admin", "wrong", now)
    with pytest.raises(AuthenticationFailed, match="已锁定"):
        users.login(db, "admin", "wrong", now)
    # Even the right password is refused while locked ...
    with pytest.raises(AuthenticationFailed, match="已锁定"):
        users.login(db, "admin", ADMIN_PASSWORD, now + timedelta(minutes=14))
    # ... and accepted once the 15 minutes are over.
    assert users.login(db, "admin", ADMIN_PASSWORD, now + timedelta(minutes=15, seconds=1))


def test_a_successful_login_resets_the_count(db: Database) -> None:
    now = utcnow()
    for _ in range(4):
        with pytest.raises(AuthenticationFailed):
            users.login(db, "admin", "wrong", now)
    users.login(db, "admin", ADMIN_PASSWORD, now)
    with pytest.raises(AuthenticationFailed, match="再错 4 次"):
        users.login(db, "admin", "wrong", now)


def test_unknown_and_inactive_users_get_the_same_message(db, admin, make_user) -> None:
    clerk = make_user(Role.CLERK)
    assert clerk.user_id is not None
    users.update_user(db, admin, clerk.user_id, "前台甲", Role.CLERK, active=False)
    for name in ("nobody", clerk.username):
        with pytest.raises(AuthenticationFailed, match=r"^用户名或密码错误。$"):
            users.login(db, name, STAFF_PASSWORD)


def test_admin_unlocks_a_locked_account(db, admin, make_user) -> None:
    cashier = make_user(Role.CASHIER)
    for _ in range(5):
        with pytest.raises(AuthenticationFailed):
            users.login(db, cashier.username, "wrong")
    assert cashier.user_id is not None
    users.unlock_user(db, admin, cashier.user_id)
    assert users.login(db, cashier.username, STAFF_PASSWORD).role is Role.CASHIER


def test_only_admins_manage_users(db, make_user) -> None:
    for role in (Role.CLERK, Role.CASHIER, Role.BUTLER, Role.SUPERVISOR):
        actor = make_user(role)
        with pytest.raises(PermissionDenied, match="管理用户"):
            users.create_user(db, actor, users.NewUser("x1", "某人", Role.CLERK, "abc12345"))
        with pytest.raises(PermissionDenied):
            users.list_users(db, actor)


def test_duplicate_username_is_refused(db, admin) -> None:
    with pytest.raises(ValidationError, match="已被使用"):
        users.create_user(db, admin, users.NewUser("admin", "另一个", Role.CLERK, "abc12345"))


def test_last_active_admin_cannot_be_demoted_or_disabled(db, admin) -> None:
    assert admin.user_id is not None
    with pytest.raises(UserError, match="至少需要保留"):
        users.update_user(db, admin, admin.user_id, "管理员", Role.CLERK, active=True)
    with pytest.raises(UserError, match="至少需要保留"):
        users.update_user(db, admin, admin.user_id, "管理员", Role.ADMIN, active=False)


def test_change_own_password(db, make_user) -> None:
    clerk = make_user(Role.CLERK)
    with pytest.raises(ValidationError, match="原密码"):
        users.change_own_password(db, clerk, "wrong", "new12345", "new12345")
    users.change_own_password(db, clerk, STAFF_PASSWORD, "new12345", "new12345")
    assert users.login(db, clerk.username, "new12345")


def test_password_never_reaches_the_audit_log(db, admin) -> None:
    users.create_user(db, admin, users.NewUser("li", "李四", Role.CLERK, "secret123"))
    rows = audit.entry_rows(db, admin, audit.entry_ids(db, admin))
    created = next(r for r in rows if r.action == "create" and r.entity == "app_user")
    assert created.changes["password_hash"] == [None, "（已修改，不记录内容）"]
    assert not any("secret123" in str(r.changes) or "argon2" in str(r.changes) for r in rows)


def test_logins_and_failures_are_audited(db, admin) -> None:
    with pytest.raises(AuthenticationFailed):
        users.login(db, "admin", "wrong")
    actions = [r.action for r in audit.entry_rows(db, admin, audit.entry_ids(db, admin))]
    assert actions[:2] == ["login_failed", "login"]


def test_frontdesk_hashes_passwords_at_the_production_cost() -> None:
    """In a process of its own, with all the suite's environment but not its cheap hasher
    (tests/cheap_hashing.py): argon2-cffi's default, RFC 9106's low-memory profile."""
    script = "from frontdesk.services import users; print(users.hash_password('secret123'))"
    made = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    stored = made.stdout.strip()
    assert extract_parameters(stored) == RFC_9106_LOW_MEMORY
    assert PasswordHasher().verify(stored, "secret123")


def stored_hash(db: Database, username: str) -> str:
    with db.read() as session:
        user = session.scalar(select(User).where(User.username == username))
        assert user is not None
        return user.password_hash


def test_the_suite_hashes_cheaply_and_keeps_a_hash_made_at_that_cost(db, admin) -> None:
    users.create_user(db, admin, users.NewUser("li", "李四", Role.CLERK, "secret123"))
    made = stored_hash(db, "li")
    assert extract_parameters(made) == extract_parameters(CHEAP_HASHER.hash("other123"))
    users.login(db, "li", "secret123")
    assert stored_hash(db, "li") == made  # no rehash at each sign-in


def test_a_hash_made_at_another_cost_signs_in_and_is_rehashed_at_this_one(db, admin) -> None:
    row = users.create_user(db, admin, users.NewUser("li", "李四", Role.CLERK, "secret123"))
    with db.write(admin) as session:
        user = session.get(User, row.id)
        assert user is not None
        user.password_hash = PasswordHasher().hash("secret123")  # the production cost
    assert users.login(db, "li", "secret123").username == "li"
    rehashed = stored_hash(db, "li")
    assert extract_parameters(rehashed) == extract_parameters(CHEAP_HASHER.hash("other123"))
    assert users.login(db, "li", "secret123").username == "li"
    with pytest.raises(AuthenticationFailed):
        users.login(db, "li", "wrong-password1")
