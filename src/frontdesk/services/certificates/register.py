"""The certificate register: the list the counter keeps, the check a bank or a school
asks for on the telephone (number and code), and revoking a certificate issued in
error, with the reason."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Row, Select, or_, select
from sqlalchemy.orm import Session

from frontdesk.db.engine import Database
from frontdesk.db.models import Building, Certificate, IssuedDocument, Room, Unit
from frontdesk.db.who import stamp
from frontdesk.domain import clock
from frontdesk.domain.certificates import (
    CertificateKind,
    Standing,
    clean_code,
    clean_number,
    read_scan,
)
from frontdesk.domain.roles import Actor, Permission
from frontdesk.domain.rooms import room_code, room_label
from frontdesk.errors import NotFound, UserError, ValidationError
from frontdesk.services.access import require
from frontdesk.services.scope import in_scope_only, scoped_room

MAX_ROWS = 500


@dataclass(frozen=True)
class CertificateRow:
    id: int
    number: str
    kind: CertificateKind
    room_id: int
    room_code: str
    place: str
    holder: str
    purpose: str
    statement: str
    issued_at: datetime
    issued_by: str
    register_number: str  # the document register's FW-2026-000123
    revoked_at: datetime | None
    revoked_by: str
    revoke_reason: str

    @property
    def standing(self) -> Standing:
        return Standing.REVOKED if self.revoked_at else Standing.VALID


@dataclass(frozen=True)
class CertificateFilter:
    kind: CertificateKind | None = None
    since: date | None = None
    until: date | None = None
    text: str = ""  # in the number, the holder's names or the room's code
    room_id: int | None = None
    limit: int = MAX_ROWS


@dataclass(frozen=True)
class Verification:
    """What the office answers the caller: the certificate only when the code matches."""

    number: str
    standing: Standing
    certificate: CertificateRow | None = None

    @property
    def text(self) -> str:
        c = self.certificate
        if c is None:
            if self.standing is Standing.WRONG_CODE:
                return f"证明 {self.number} 的核验码不符：该证明可能被涂改或伪造。"
            return f"登记簿中查无编号为 {self.number} 的证明。"
        lines = [
            f"证明编号：{c.number}（{self.standing.label}）",
            f"证明类别：{c.kind.label}",
            f"房屋：{c.place}",
            f"证明对象：{c.holder}",
            f"开具：{c.issued_at.astimezone():%Y-%m-%d %H:%M} {c.issued_by}",
        ]
        if c.purpose:
            lines.append(f"用途：{c.purpose}")
        lines.append(f"证明内容：{c.statement}")
        if c.revoked_at is not None:
            lines.append(
                f"已于 {c.revoked_at.astimezone():%Y-%m-%d %H:%M} 由{c.revoked_by}作废，"
                f"原因：{c.revoke_reason}"
            )
        return "\n".join(lines)


# The register's columns, read as plain rows: a list of 500 is most of its time
# building ORM objects otherwise.
_COLUMNS = (
    Certificate.id,
    Certificate.number,
    Certificate.kind,
    Certificate.room_id,
    Building.code,
    Unit.code,
    Room.number,
    Certificate.holder,
    Certificate.purpose,
    Certificate.statement,
    Certificate.issued_at,
    Certificate.issued_by,
    IssuedDocument.number,
    Certificate.revoked_at,
    Certificate.revoked_by,
    Certificate.revoke_reason,
)


def _query() -> Select[*tuple[Any, ...]]:
    return (
        select(*_COLUMNS)
        .join(IssuedDocument, Certificate.document_id == IssuedDocument.id)
        .join(Room, Certificate.room_id == Room.id)
        .join(Building, Room.building_id == Building.id)
        .outerjoin(Unit, Room.unit_id == Unit.id)
    )


def _row(found: Row[*tuple[Any, ...]]) -> CertificateRow:
    (id_, number, kind, room_id, building, unit, room, holder, purpose, statement) = found[:10]
    issued_at, issued_by, register_number, revoked_at, revoked_by, reason = found[10:16]
    return CertificateRow(
        id_,
        number,
        kind,
        room_id,
        room_code(building, unit, room),
        room_label(building, unit, room),
        holder,
        purpose,
        statement,
        issued_at,
        issued_by,
        register_number,
        revoked_at,
        revoked_by,
        reason,
    )


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time()).astimezone()


def list_certificates(
    db: Database, actor: Actor, flt: CertificateFilter = CertificateFilter()
) -> list[CertificateRow]:
    """The register, newest first; a butler sees the rooms of their own buildings."""
    require(actor, Permission.ISSUE_CERTIFICATES)
    query = in_scope_only(_query(), actor)
    if flt.kind is not None:
        query = query.where(Certificate.kind == flt.kind)
    if flt.since is not None:
        query = query.where(Certificate.issued_at >= _day_start(flt.since))
    if flt.until is not None:
        query = query.where(Certificate.issued_at < _day_start(flt.until + timedelta(days=1)))
    if flt.room_id is not None:
        query = query.where(Certificate.room_id == flt.room_id)
    wanted = flt.text.strip()
    if wanted:
        query = query.where(
            or_(
                Certificate.number.contains(wanted.upper(), autoescape=True),
                Certificate.holder.contains(wanted, autoescape=True),
            )
        )
    query = query.order_by(Certificate.issued_at.desc(), Certificate.id.desc()).limit(flt.limit)
    with db.read() as session:
        return [_row(found) for found in session.execute(query)]


def _by_number(session: Session, number: str) -> tuple[CertificateRow, str] | None:
    """The certificate and its code."""
    query = _query().add_columns(Certificate.code).where(Certificate.number == number)
    found = session.execute(query).first()
    return None if found is None else (_row(found), found[-1])


def verify_certificate(db: Database, actor: Actor, number: str, code: str = "") -> Verification:
    """Check a number and code against the register. A scanned QR text may come in
    `number` alone: both are read from it."""
    require(actor, Permission.ISSUE_CERTIFICATES)
    scanned = read_scan(number) if not code.strip() else None
    number, code = scanned or (clean_number(number), clean_code(code))
    if not number:
        raise ValidationError("证明编号", "请输入证明编号或扫描证明上的二维码")
    if not code:
        raise ValidationError("核验码", "请输入证明上印的 8 位核验码")
    with db.read() as session:
        found = _by_number(session, number)
    if found is None:
        return Verification(number, Standing.NOT_FOUND)
    row, held = found
    if held != code:
        return Verification(number, Standing.WRONG_CODE)
    return Verification(number, row.standing, row)


def get_certificate(db: Database, actor: Actor, number: str) -> CertificateRow:
    require(actor, Permission.ISSUE_CERTIFICATES)
    with db.read() as session:
        found = _by_number(session, clean_number(number))
    if found is None:
        raise NotFound(f"没有编号为 {number} 的证明。")
    return found[0]


def revoke_certificate(
    db: Database, actor: Actor, number: str, reason: str, at: datetime | None = None
) -> None:
    """Withdraw a certificate: a caller checking it from now on hears 已作废 and why."""
    reason = reason.strip()
    if not reason:
        raise ValidationError("作废原因", "请写明作废原因")
    if len(reason) > 200:
        raise ValidationError("作废原因", "不能超过 200 个字")
    with db.write(actor) as session:
        certificate = session.scalar(
            select(Certificate).where(Certificate.number == clean_number(number))
        )
        if certificate is None:
            raise NotFound(f"没有编号为 {number} 的证明。")
        scoped_room(session, actor, Permission.ISSUE_CERTIFICATES, certificate.room_id)
        if certificate.revoked_at is not None:
            raise UserError(
                f"证明 {certificate.number} 已于 "
                f"{certificate.revoked_at.astimezone():%Y-%m-%d %H:%M} 由"
                f"{certificate.revoked_by}作废，不能重复作废。"
            )
        certificate.revoked_at = at or clock.now()
        certificate.revoke_reason = reason
        stamp(certificate, "revoked", actor)
