"""Certificates (证明) drawn and issued: the service numbers and registers each one in
the write that checks the room's records, and calls `render` here to draw it."""

from __future__ import annotations

from datetime import datetime
from functools import partial

from frontdesk.documents.base import Letterhead
from frontdesk.documents.certificate import CertificateDoc, certificate_pdf
from frontdesk.domain.certificates import (
    chinese_date,
    purpose_line,
    qr_text,
    shown_code,
)
from frontdesk.domain.issued import DocKind, Issue, Output, Printout, Subject
from frontdesk.domain.roles import Actor
from frontdesk.printouts import letterhead
from frontdesk.services import community
from frontdesk.services.certificates.issuing import (
    CertificateFacts,
    CertificateRequest,
    IssuedCertificate,
    issue_certificate,
)
from frontdesk.services.database import Database

RESIDENT_HEADER = ("姓名", "身份", "证件号码", "居住起始日期")


def certificate_doc(
    head: Letterhead, facts: CertificateFacts, seal_png: bytes | None = None
) -> CertificateDoc:
    draft = facts.draft
    issued = facts.issued_at.astimezone()
    table = (
        (
            RESIDENT_HEADER,
            *(
                (r.name, r.standing, r.id_number or "未登记", chinese_date(r.since))
                for r in draft.residents
            ),
        )
        if draft.residents
        else ()
    )
    office = f"{head.community_name}物业服务中心"
    phone = f"（电话 {head.service_phone}）" if head.service_phone else ""
    return CertificateDoc(
        title=draft.kind.label,
        number=facts.number,
        code=shown_code(facts.code),
        paragraphs=draft.paragraphs,
        table=table,
        after=draft.after,
        purpose=purpose_line(draft.purpose),
        issuer=tuple(dict.fromkeys(filter(None, (head.company_name, office)))),
        issued_on=chinese_date(issued.date()),
        clerk=facts.issued_by,
        issued_at=f"{issued:%Y-%m-%d %H:%M}",
        verify_hint=f"如需核实，请凭证明编号和核验码向{office}核验{phone}，或扫描左侧二维码。",
        qr_text=qr_text(facts.number, facts.code, office, head.service_phone),
        seal_png=seal_png,
    )


def _render(head: Letterhead, seal_png: bytes | None, facts: CertificateFacts) -> Printout:
    pdf = certificate_pdf(head, certificate_doc(head, facts, seal_png))
    draft = facts.draft
    title = f"{draft.kind.label} {facts.number} {draft.room_code}"
    issue = Issue(DocKind.CERTIFICATE, title, facts.number, (Subject(draft.room_id),))
    return Printout(pdf, issue)


def issue(
    db: Database,
    actor: Actor,
    request: CertificateRequest,
    output: Output = Output.PRINTED,
    at: datetime | None = None,
) -> IssuedCertificate:
    """Issue the certificate and return it with its PDF (already registered); `at` is
    now unless the demo backdates its history."""
    render = partial(_render, letterhead(db), community.get_community(db).seal_png)
    return issue_certificate(db, actor, request, render, output, at)
