"""Photos of a work order (工单照片): when each was taken, which files are photos,
and how many an order keeps. Pure rules; the files live in the attachments store."""

from __future__ import annotations

from enum import StrEnum

MAX_PHOTOS = 9  # an order's photos, at intake and after the work together
MAX_PHOTO_BYTES = 10 * 1024 * 1024  # a phone's photo is a few MB
# The first bytes of each kind the GUI can show as a thumbnail.
_SIGNATURES = (
    (b"\xff\xd8\xff", "JPEG"),
    (b"\x89PNG\r\n\x1a\n", "PNG"),
)
PHOTO_SUFFIXES = (".jpg", ".jpeg", ".png")


class PhotoStage(StrEnum):
    INTAKE = "intake"  # at the desk: what the caller showed or sent
    WORK = "work"  # the worker's, after the repair

    @property
    def label(self) -> str:
        return STAGE_LABELS[self]


STAGE_LABELS = {PhotoStage.INTAKE: "受理", PhotoStage.WORK: "完工"}


def photo_format(head: bytes) -> str | None:
    """'JPEG' or 'PNG' from a file's first bytes; None when it is neither."""
    for signature, name in _SIGNATURES:
        if head.startswith(signature):
            return name
    return None
