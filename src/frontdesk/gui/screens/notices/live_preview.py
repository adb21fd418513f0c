"""A notice's PDF beside the form that makes it, rendered in the background as the
form changes: the preview of 发布通知 and of 通知模板."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QBuffer, QByteArray, QEvent, QIODevice, QObject, Qt, QTimer, Signal
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import QLabel, QWidget

from frontdesk.errors import FrontDeskError
from frontdesk.gui.context import AppContext
from frontdesk.printouts import notices as notice_printouts
from frontdesk.services.notices.posting import NoticeRequest
from frontdesk.services.progress import Progress

log = logging.getLogger(__name__)

PREVIEW_DELAY_MS = 400
PREVIEW_COPIES = 3
STALE_TEXT = "预览未更新：请先改正上方提示的内容"
WAITING_TEXT = "改正上方提示的内容后，这里显示通知的样子"
RENDERING_TEXT = "正在生成预览…"
VEIL_STYLE = "background: rgba(236, 238, 241, 200); color: #5f6b7a; font-size: 13pt; padding: 24px;"


class LivePreview(QObject):
    """A notice's PDF beside the form that makes it: rendered by the task runner
    PREVIEW_DELAY_MS after the last change, so typing never waits. A refused value
    shows its message (naming the field) above the last good preview, greyed.

    `request()` gives what to preview (None: nothing), or raises a ValidationError
    the form finds itself. Signals: rendered() after each result, good or refused."""

    rendered = Signal()

    def __init__(
        self,
        ctx: AppContext,
        owner: QWidget,
        view: QPdfView,
        error_label: QLabel,
        request: Callable[[], NoticeRequest | None],
    ) -> None:
        super().__init__(owner)
        self.ctx, self.owner, self.view, self.error_label = ctx, owner, view, error_label
        self.request = request
        self.pdf: bytes | None = None  # the last good preview
        self.error: FrontDeskError | None = None  # why the current values show none
        self.running = self.pending = False
        self.document = QPdfDocument(self)
        self._buffer: QBuffer | None = None
        view.setDocument(self.document)
        view.setPageMode(QPdfView.PageMode.MultiPage)
        view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        # Over the last good preview while the values are refused: it is out of date.
        self.veil = QLabel(STALE_TEXT, view)
        self.veil.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.veil.setWordWrap(True)
        self.veil.setStyleSheet(VEIL_STYLE)
        self.veil.hide()
        view.installEventFilter(self)
        owner.installEventFilter(self)  # rendered when shown, never behind another tab
        self._stale = False
        error_label.setVisible(False)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(PREVIEW_DELAY_MS)
        self.timer.timeout.connect(self.render_now)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.view and event.type() == QEvent.Type.Resize:
            self.veil.setGeometry(self.view.rect())
        elif watched is self.owner and event.type() == QEvent.Type.Show and self._stale:
            self.schedule()
        return super().eventFilter(watched, event)

    def _veil(self, text: str | None) -> None:
        """Over the preview: why it is out of date or not there yet (None: nothing)."""
        self.veil.setGeometry(self.view.rect())
        self.veil.setVisible(text is not None)
        if text is not None:
            self.veil.setText(text)
            self.veil.raise_()

    @property
    def greyed(self) -> bool:
        """The last good preview is shown, marked out of date."""
        return self.pdf is not None and not self.veil.isHidden()

    @property
    def idle(self) -> bool:
        """Nothing waiting, nothing rendering: the preview shows the form as it is."""
        return not (self.running or self.pending or self.timer.isActive())

    def schedule(self) -> None:
        self.timer.start()

    def render_now(self) -> None:
        self.timer.stop()
        if not self.owner.isVisible():
            self._stale = True
            return
        self._stale = False
        if self.running:
            self.pending = True
            return
        try:
            request = self.request()
        except FrontDeskError as exc:
            self._refused(exc)
            return
        if request is None:
            self.clear()
            return
        self.running = True
        if self.pdf is None:
            self._veil(RENDERING_TEXT)
        ctx = self.ctx

        def work(_progress: Progress) -> bytes | Exception:
            try:
                return notice_printouts.preview(
                    ctx.db, ctx.actor, request, max_copies=PREVIEW_COPIES
                )
            except Exception as exc:  # shown beside the form, not as a dialog
                return exc

        ctx.tasks.run(self.owner, "正在生成预览…", work, self._done, cancellable=False)

    def _done(self, result: bytes | Exception) -> None:
        self.running = False
        if self.pending:  # the form changed meanwhile: this one is out of date
            self.pending = False
            self.render_now()
            return
        if isinstance(result, FrontDeskError):
            self._refused(result)
        elif isinstance(result, Exception):
            log.error("notice preview failed", exc_info=result)
            self._refused(FrontDeskError("无法生成预览（程序错误），请将此情况告知技术支持。"))
        else:
            self._show(result)

    def _show(self, pdf: bytes) -> None:
        self.pdf, self.error = pdf, None
        scroll = self.view.verticalScrollBar().value()
        buffer = QBuffer(self)
        buffer.setData(QByteArray(pdf))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document.load(buffer)
        if self._buffer is not None:
            self._buffer.deleteLater()
        self._buffer = buffer
        self.view.verticalScrollBar().setValue(scroll)
        self._veil(None)
        self.error_label.clear()
        self.error_label.setVisible(False)
        self.rendered.emit()

    def _refused(self, exc: FrontDeskError) -> None:
        self.error = exc
        self.error_label.setText(exc.message)
        self.error_label.setVisible(True)
        self._veil(STALE_TEXT if self.pdf is not None else WAITING_TEXT)
        self.rendered.emit()

    def clear(self) -> None:
        self.timer.stop()
        self.pdf, self.error = None, None
        self.document.close()
        self._veil(None)
        self.error_label.clear()
        self.error_label.setVisible(False)
