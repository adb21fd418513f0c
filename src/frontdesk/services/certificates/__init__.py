"""Certificates (证明开具): 物业费结清证明, 居住证明 and 装修押金已退证明 drafted from the
records, issued with a number and a verification code, checked against the register
and revoked with a reason.

The area's use-cases (functions taking the `Database`) with their inputs and rows, loaded
on first use; helpers taking a `Session` stay in their modules."""

from __future__ import annotations

from typing import TYPE_CHECKING

from frontdesk.services.lazy_exports import lazy_exports

if TYPE_CHECKING:
    from frontdesk.services.certificates.issuing import (
        CertificateDraft,
        CertificateFacts,
        CertificateRequest,
        IssuedCertificate,
        draft_certificate,
        issue_certificate,
        owed_lines,
    )
    from frontdesk.services.certificates.register import (
        CertificateFilter,
        CertificateRow,
        Verification,
        get_certificate,
        list_certificates,
        revoke_certificate,
        verify_certificate,
    )

__all__ = [
    "CertificateDraft",
    "CertificateFacts",
    "CertificateFilter",
    "CertificateRequest",
    "CertificateRow",
    "IssuedCertificate",
    "Verification",
    "draft_certificate",
    "get_certificate",
    "issue_certificate",
    "list_certificates",
    "owed_lines",
    "revoke_certificate",
    "verify_certificate",
]
__getattr__, __dir__ = lazy_exports(__name__, __path__, __all__)
