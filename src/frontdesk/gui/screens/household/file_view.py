"""The household file (一户一档) of one room: the screen the counter opens all day."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Protocol, runtime_checkable

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QHeaderView, QLabel, QTreeWidgetItem, QWidget

from frontdesk.domain import clock
from frontdesk.domain.area import format_m2
from frontdesk.domain.clock import local_time
from frontdesk.domain.household import CONTACT_PREFERENCES, TAG_SEPARATOR, PersonKind
from frontdesk.domain.money import format_yuan
from frontdesk.domain.rooms import RoomStatus, room_label
from frontdesk.gui.context import AppContext
from frontdesk.gui.forms.household_file_view_ui import Ui_HouseholdFileView
from frontdesk.gui.ops import Op
from frontdesk.gui.screens.household.dates import date_text, parse_date
from frontdesk.gui.screens.household.record_list import RecordList, read_only_reason
from frontdesk.gui.screens.household.records import CARE, PARKING, PEOPLE, PETS, VEHICLES
from frontdesk.gui.widgets.forms import Choices, form_fields
from frontdesk.services.households import file as households
from frontdesk.services.households.file import HouseholdFile, ProfileInput
from frontdesk.services.households.structure import RoomRow
from frontdesk.services.protection import audit
from frontdesk.services.protection.audit_text import change_lines, entry_summary, writer_text

STATUS_COLOURS = {
    RoomStatus.UNSOLD: "#8a94a3",
    RoomStatus.HANDED_OVER: "#b26a00",
    RoomStatus.OCCUPIED: "#1b6e3a",
    RoomStatus.VACANT: "#5f6b7a",
    RoomStatus.RENTED: "#1d4f91",
}
CHIP_STYLE = "background: #e3ecf7; color: #1d4f91; border-radius: 9px; padding: 1px 9px;"
TAB_STYLE = "QTabBar::tab { padding: 4px 7px; }"
CHANGE_COLOUR = QColor("#3a4656")
ERROR_COLOUR = "#b3261e"
SAVED_COLOUR = "#1b6e3a"
# Alt and the keyboard's top row pick the file's tabs: Alt+1 the first … Alt+= the twelfth,
# and Alt+` (left of 1, one step back from the first) the thirteenth.
TAB_KEYS = "1234567890-=`"
TAB_STEP_HINT = "Ctrl+PgUp / Ctrl+PgDn：上一个 / 下一个选项卡"


@runtime_checkable
class FileTab(Protocol):
    """A tab added with HouseholdFileView.add_tab: told about every file shown."""

    def open_room(self, room_id: int, file: HouseholdFile) -> None: ...


def place_text(room: RoomRow) -> str:
    """3栋2单元1201室 for flats; the building's own name for garages and shops."""
    if room.building.endswith("栋"):
        return room_label(room.building.removesuffix("栋"), room.unit, room.number)
    return f"{room.building} {room.number}"


def floor_text(floor: int) -> str:
    return f"{floor} 层" if floor > 0 else f"地下 {-floor} 层"


def owing_text(fen: int) -> str:
    """欠费 ¥1,234.50 (the rooms list and the file's header); "" when nothing is owed."""
    return f"欠费 ¥{format_yuan(fen)}" if fen > 0 else ""


def owners_text(file: HouseholdFile) -> str:
    if not file.owners:
        return "尚未登记产权人"
    names = [f"{p.name}（{p.share}）" if p.share else p.name for p in file.owners]
    return "产权人：" + "、".join(names)


def summary_text(file: HouseholdFile) -> str:
    counts = [
        (f"{kind.label} {n} 人", n)
        for kind in PersonKind
        if (n := sum(1 for p in file.people if p.kind == kind))
    ]
    counts += [
        (f"车辆 {len(file.vehicles)} 辆", len(file.vehicles)),
        (f"车位 {len(file.parking)} 个", len(file.parking)),
        (f"宠物 {len(file.pets)} 只", len(file.pets)),
        (f"关怀对象 {len(file.care)} 人", len(file.care)),
    ]
    shown = [text for text, n in counts if n]
    return "　·　".join(shown) if shown else "档案中还没有登记任何人员、车辆或宠物。"


def care_due_text(file: HouseholdFile, today: date) -> str:
    """关怀提醒 for every care need whose visit is due."""
    lines = []
    for care in file.care:
        who = f"关怀提醒：{care.person_name}（{care.category.label}）"
        if care.last_visit_on is None:
            lines.append(f"{who}尚无探访记录，请安排探访")
        elif care.next_visit_on(today) <= today:
            lines.append(f"{who}应于 {date_text(care.next_visit_on(today))} 前探访，已到期")
    return "\n".join(lines)


class HouseholdFileView(QWidget):
    """One room's household file: a header (room, place, status, butler, owners in
    big type, tags as chips) and the tabs 概况 成员 车辆/车位 宠物 关怀 历史.
    Alt+1 … Alt+= and Alt+` (the keyboard's top row) go to the first … thirteenth tab, Ctrl+PgUp
    and Ctrl+PgDn to the one beside, from anywhere in the window; each tab's tooltip
    says its key.

    open_room(room_id) shows a file with IDs and phones masked; refresh() reloads the
    open file, keeping the current tab, the selected records and the unmasked state.
    显示完整信息 (only for those who may) reopens the file unmasked, which the service
    writes to the audit log; opening another room masks again. clear() shows no file.

    Extra tabs (附件, 管家联系 and later issues' 账单, 访客 …): add_tab(title, widget)
    where widget is a QWidget with `open_room(room_id: int, file: HouseholdFile)`
    (the FileTab protocol). It is called on every open and refresh with the file
    just loaded (file.can_edit says whether to enable editing, file.masked whether
    personal data may be shown whole); the tab loads its own data then. A tab that
    changes the file calls the view's refresh(). Added tabs go just before 历史,
    which stays last, unless `index` is given.
    """

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.file: HouseholdFile | None = None
        self._extra_tabs: list[FileTab] = []
        self._chips: list[QLabel] = []
        self.ui = ui = Ui_HouseholdFileView()
        ui.setupUi(self)
        self.members = RecordList(ctx, PEOPLE)
        self.vehicles = RecordList(ctx, VEHICLES, titled=True)
        self.parking = RecordList(ctx, PARKING, keys="WML", titled=True)
        self.pets = RecordList(ctx, PETS)
        self.care = RecordList(ctx, CARE)
        ui.membersLayout.addWidget(self.members)
        ui.vehiclesLayout.addWidget(self.vehicles, 3)
        ui.vehiclesLayout.addWidget(self.parking, 2)
        ui.petsLayout.addWidget(self.pets)
        ui.careLayout.addWidget(self.care)
        for records in self.lists():
            records.changed.connect(self.refresh)
        self.contacts = Choices(
            ui.contactCombo, [(p or "未指定", p) for p in CONTACT_PREFERENCES], ""
        )
        ui.saveProfileButton.clicked.connect(self.save_profile)
        ui.saveProfileButton.setShortcut(QKeySequence("Ctrl+S"))
        ui.revealButton.clicked.connect(self.toggle_reveal)
        # Thirteen tabs and more to come: tighter than the style's padding, they all show
        # beside the rooms list on a 1280 px screen (not behind scroll arrows).
        # Narrower still (more tabs, a longer title), they shorten their titles rather
        # than hide behind scroll arrows; the selftest names the screen either way.
        bar = ui.tabs.tabBar()
        bar.setStyleSheet(TAB_STYLE)
        bar.setElideMode(Qt.TextElideMode.ElideRight)
        bar.setUsesScrollButtons(False)
        ui.tabs.currentChanged.connect(lambda _: self._show_history_if_current())
        self._add_tab_keys()
        header = ui.historyTree.header()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((120, 70, 84)):
            ui.historyTree.setColumnWidth(column, width)
        self.clear()

    def lists(self) -> list[RecordList]:  # type: ignore[type-arg]
        return [self.members, self.vehicles, self.parking, self.pets, self.care]

    # opening ------------------------------------------------------------------
    def open_room(self, room_id: int) -> None:
        """Show a room's file, masked."""
        self._load(room_id, reveal=False)

    def refresh(self, then: Callable[[], None] | None = None) -> None:
        """Reload the open file as it is shown now (unmasked stays unmasked); `then`
        runs once it is shown."""
        if self.file is not None:
            self._load(self.file.room.id, reveal=not self.file.masked, then=then)

    def toggle_reveal(self) -> None:
        if self.file is not None:
            self._load(self.file.room.id, reveal=self.file.masked)

    def clear(self) -> None:
        self.file = None
        self.ui.pages.setCurrentWidget(self.ui.emptyPage)

    def _load(self, room_id: int, reveal: bool, then: Callable[[], None] | None = None) -> None:
        ctx = self.ctx
        Op(
            self,
            ctx.tasks,
            lambda: households.open_file(ctx.db, ctx.actor, room_id, reveal=reveal),
            title="无法打开户档案",
        ).success(lambda file: self._loaded(file, then)).run()

    def _loaded(self, file: HouseholdFile, then: Callable[[], None] | None) -> None:
        self._show(file)
        if then is not None:
            then()

    def _show(self, file: HouseholdFile) -> None:
        same_room = self.file is not None and self.file.room.id == file.room.id
        self.file = file
        self.ui.pages.setCurrentWidget(self.ui.filePage)
        self._show_header(file)
        self._show_overview(file)
        for records in self.lists():
            records.show_file(file, keep=records.keep if same_room else None)
        self._show_history_if_current()
        for tab in self._extra_tabs:
            tab.open_room(file.room.id, file)

    # header -------------------------------------------------------------------
    def _show_header(self, file: HouseholdFile) -> None:
        ui = self.ui
        room = file.room
        ui.codeLabel.setText(room.code)
        ui.placeLabel.setText(place_text(room))
        colour = STATUS_COLOURS[room.status]
        ui.statusChip.setText(room.status.label)
        ui.statusChip.setStyleSheet(
            f"color: white; background: {colour}; border-radius: 9px; padding: 1px 9px;"
        )
        ui.owingLabel.setText(owing_text(room.owing_fen))
        ui.owingLabel.setVisible(room.owing_fen > 0)
        ui.factsLabel.setText(
            f"{floor_text(room.floor)}　·　建筑面积 {format_m2(room.area_m2_x100)} ㎡"
            f"　·　{room.room_type.label}　·　管家：{file.butler or '未指定'}"
        )
        ui.ownersLabel.setText(owners_text(file))
        self._show_tags(file.tags)
        ui.revealButton.setVisible(file.can_reveal)
        ui.revealButton.setText("显示完整信息(&R)" if file.masked else "恢复遮挡(&R)")
        ui.unmaskedMarker.setVisible(not file.masked)
        ui.readOnlyLabel.setText("" if file.can_edit else read_only_reason(self.ctx, file))
        ui.readOnlyLabel.setVisible(not file.can_edit)

    def _show_tags(self, tags: list[str]) -> None:
        for chip in self._chips:
            chip.deleteLater()
        self._chips = []
        for position, tag in enumerate(tags):
            chip = QLabel(tag)
            chip.setStyleSheet(CHIP_STYLE)
            self.ui.tagsLayout.insertWidget(position, chip)
            self._chips.append(chip)

    def tag_texts(self) -> list[str]:
        return [chip.text() for chip in self._chips]

    # 概况 -----------------------------------------------------------------------
    def _show_overview(self, file: HouseholdFile) -> None:
        ui = self.ui
        ui.summaryLabel.setText(summary_text(file))
        due = care_due_text(file, clock.today())
        ui.careDueLabel.setText(due)
        ui.careDueLabel.setVisible(bool(due))
        profile = file.profile
        ui.moveInEdit.setText(date_text(profile.move_in_on))
        self.contacts.select(profile.contact_preference)
        ui.tagsEdit.setText(TAG_SEPARATOR.join(file.tags))
        ui.notesEdit.setPlainText(profile.notes)
        ui.profileError.clear()
        reason = "" if file.can_edit else read_only_reason(self.ctx, file)
        for edit in (ui.moveInEdit, ui.tagsEdit):
            edit.setReadOnly(not file.can_edit)
        ui.notesEdit.setReadOnly(not file.can_edit)
        ui.contactCombo.setEnabled(file.can_edit)
        ui.saveProfileButton.setEnabled(file.can_edit)
        ui.saveProfileButton.setToolTip(reason or "保存入住日期、联系偏好、标签和备注")

    def profile_input(self) -> ProfileInput:
        ui = self.ui
        return ProfileInput(
            move_in_on=parse_date(ui.moveInEdit.text(), "入住日期"),
            contact_preference=self.contacts.value(),
            tags=ui.tagsEdit.text(),
            notes=ui.notesEdit.toPlainText(),
        )

    def save_profile(self) -> None:
        if self.file is None or not self.file.can_edit:
            return
        ctx, room_id, ui = self.ctx, self.file.room.id, self.ui
        ui.profileError.setStyleSheet(f"color: {ERROR_COLOUR};")
        Op(
            self,
            ctx.tasks,
            lambda profile: households.update_profile(ctx.db, ctx.actor, room_id, profile),
            given=self.profile_input,
            title="无法保存",
        ).fields(form_fields(ui.profileForm)).inline(ui.profileError).success(
            lambda _: self.refresh(then=self._profile_saved)
        ).run()

    def _profile_saved(self) -> None:
        self.ui.profileError.setStyleSheet(f"color: {SAVED_COLOUR};")
        self.ui.profileError.setText("已保存。")

    # 历史 -----------------------------------------------------------------------
    def _show_history_if_current(self) -> None:
        """The timeline is read when its tab is shown (and again after each change)."""
        file = self.file
        if file is None or self.ui.tabs.currentWidget() is not self.ui.historyTab:
            return
        rows = audit.room_history(self.ctx.db, self.ctx.actor, file.room.id, masked=file.masked)
        tree = self.ui.historyTree
        tree.clear()
        for row in rows:
            entry = QTreeWidgetItem(
                [
                    local_time(row.at, seconds=False),
                    writer_text(row),
                    row.action_label,
                    entry_summary(row),
                ]
            )
            entry.setToolTip(3, entry_summary(row))
            for line in change_lines(row):
                change = QTreeWidgetItem(["", "", "", line])
                change.setForeground(3, QBrush(CHANGE_COLOUR))
                change.setToolTip(3, line)
                entry.addChild(change)
            tree.addTopLevelItem(entry)
        tree.expandAll()
        masking = (
            "证件号码和电话已遮挡。"
            if file.masked
            else "历史记录只保存遮挡后的姓名、证件号码和电话，显示完整信息时也是如此。"
        )
        self.ui.historyHint.setText(f"共 {len(rows)} 条记录，最新的在最上面。{masking}")

    # extension ----------------------------------------------------------------
    def add_tab(self, title: str, widget: QWidget, index: int | None = None) -> None:
        """Add a tab (see the class docstring); it is told about the file shown now."""
        if not isinstance(widget, FileTab):
            raise TypeError(f"{type(widget).__name__} has no open_room(room_id, file)")
        tabs = self.ui.tabs
        tabs.insertTab(tabs.indexOf(self.ui.historyTab) if index is None else index, widget, title)
        self._extra_tabs.append(widget)
        self._show_tab_keys()
        if self.file is not None:
            widget.open_room(self.file.room.id, self.file)

    # keys ---------------------------------------------------------------------
    def _add_tab_keys(self) -> None:
        """Alt+1 … Alt+=, Alt+` for the tabs by place, Ctrl+PgUp/PgDn for the one beside: on the
        file page (so only while a file is shown), for the whole window, so a table or
        a text box with the focus does not take the key."""
        page = self.ui.filePage
        for index, key in enumerate(TAB_KEYS):
            shortcut = QShortcut(QKeySequence(f"Alt+{key}"), page)
            shortcut.setWhatsThis(f"户档案的第 {index + 1} 个选项卡")
            shortcut.activated.connect(lambda index=index: self.show_tab(index))
        for keys, step in (("Ctrl+PgDown", 1), ("Ctrl+PgUp", -1)):
            shortcut = QShortcut(QKeySequence(keys), page)
            shortcut.setWhatsThis("户档案的下一个选项卡" if step > 0 else "户档案的上一个选项卡")
            shortcut.activated.connect(lambda step=step: self.step_tab(step))
        self._show_tab_keys()

    def _show_tab_keys(self) -> None:
        tabs = self.ui.tabs
        for index in range(tabs.count()):
            key = f"（Alt+{TAB_KEYS[index]}）" if index < len(TAB_KEYS) else ""
            tabs.setTabToolTip(index, f"{tabs.tabText(index)}{key}\n{TAB_STEP_HINT}")

    def show_tab(self, index: int) -> None:
        """The tab at `index`, if there is one, with the keyboard in it."""
        if 0 <= index < self.ui.tabs.count():
            self.ui.tabs.setCurrentIndex(index)
            _focus_into(self.ui.tabs.currentWidget())

    def step_tab(self, step: int) -> None:
        """The next (1) or previous (-1) tab, round from the last to the first."""
        tabs = self.ui.tabs
        self.show_tab((tabs.currentIndex() + step) % tabs.count())

    def focus_file(self) -> None:
        """Keyboard: the tab bar takes the focus (←/→ switch tabs, Tab enters the tab)."""
        self.ui.tabs.tabBar().setFocus(Qt.FocusReason.OtherFocusReason)


def _focus_into(page: QWidget) -> None:
    """The focus to the first widget of `page` in the Tab order, unless it is in the page
    already (Qt moves it there when the tab it was on is left)."""
    focus = QApplication.focusWidget()
    if focus is not None and page.isAncestorOf(focus):
        return
    widget = page.nextInFocusChain()
    while widget is not None and widget is not page:
        if (
            page.isAncestorOf(widget)
            and widget.focusPolicy() & Qt.FocusPolicy.TabFocus
            and widget.isVisibleTo(page)
            and widget.isEnabled()
        ):
            widget.setFocus(Qt.FocusReason.ShortcutFocusReason)
            return
        widget = widget.nextInFocusChain()
