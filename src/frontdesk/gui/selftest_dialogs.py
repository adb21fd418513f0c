"""The program's dialogs, each made on the selftest's demo data, for the selftest to
show (and check their keys) and for tests that look at every dialog.

The selftest shows some dialogs beside the screen they belong to (login, the room
and contact dialogs, refund); these are all the others. Each entry is a name for the
screenshot and a function that makes the dialog, so a failure in one is reported
with its name and the others are still shown.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import partial
from pathlib import Path

from PySide6.QtWidgets import QWidget

from frontdesk.domain.movein import Step
from frontdesk.domain.roles import Permission
from frontdesk.gui.context import AppContext
from frontdesk.services.service_desk.views import OrderRow

Make = Callable[[], QWidget]


def every_dialog(ctx: AppContext, room_id: int, holder: QWidget) -> list[tuple[str, Make]]:
    """(name, make) for each dialog; `room_id` is a household with people on file,
    `holder` the parent of the dialogs that need one."""
    return [
        *_household(ctx, room_id, holder),
        *_cashier(ctx, room_id),
        *_arrears(ctx),
        *_visitors(ctx),
        *_counter(ctx),
        *_movein(ctx),
        *_renovation(ctx),
        *_service_desk(ctx),
        *_settings(ctx),
        *_certificates(ctx),
    ]


def _household(ctx: AppContext, room_id: int, holder: QWidget) -> list[tuple[str, Make]]:
    from frontdesk.gui.screens.household.dialogs import (
        CareDialog,
        ParkingDialog,
        PersonDialog,
        PetDialog,
        VehicleDialog,
    )
    from frontdesk.gui.screens.household.file_dialog import FileDialog
    from frontdesk.gui.screens.household.leave_dialog import LeaveDialog
    from frontdesk.services.households import file as households

    file = households.open_file(ctx.db, ctx.actor, room_id)
    made: list[tuple[str, Make]] = [
        ("file-dialog", lambda: FileDialog(ctx, room_id)),
        ("person-dialog", lambda: PersonDialog(ctx, file, file.people[0] if file.people else None)),
        ("vehicle-dialog", lambda: VehicleDialog(ctx, file, None)),
        ("parking-dialog", lambda: ParkingDialog(ctx, file, None)),
        ("pet-dialog", lambda: PetDialog(ctx, file, None)),
        ("care-dialog", lambda: CareDialog(ctx, file, None)),
    ]
    if file.people:
        made.append(("leave-dialog", lambda: LeaveDialog(ctx, file, file.people[-1], holder)))
    return made


def _cashier(ctx: AppContext, room_id: int) -> list[tuple[str, Make]]:
    from frontdesk.gui.screens.cashier.charge_dialog import ChargeDialog
    from frontdesk.gui.screens.cashier.fee_setup_tab import (
        FeeItemDialog,
        PricePlanDialog,
        ReductionRuleDialog,
    )
    from frontdesk.gui.screens.cashier.meters_tab import ImportSummaryDialog
    from frontdesk.services.fees import items as fees
    from frontdesk.services.households import structure

    code = structure.room_rows(ctx.db, ctx.actor, [room_id])[0].code
    items = fees.list_fee_items(ctx.db, active_only=True)
    categories = sorted({item.category for item in items})
    problems = [("3-1-1201", "水表", "读数小于上次读数"), ("第 12 行", "电表", "房号不存在")]
    return [
        ("charge-dialog", lambda: ChargeDialog(ctx, room_id, code)),
        ("fee-item-dialog", lambda: FeeItemDialog(ctx, categories)),
        ("price-plan-dialog", lambda: PricePlanDialog(ctx, items)),
        ("reduction-rule-dialog", lambda: ReductionRuleDialog(ctx, items)),
        (
            "meter-import-summary",
            lambda: ImportSummaryDialog("已导入 118 户的读数，2 行未导入。", problems),
        ),
    ]


def _arrears(ctx: AppContext) -> list[tuple[str, Make]]:
    from frontdesk.gui.screens.arrears.delivery_dialog import DeliveryDialog
    from frontdesk.gui.screens.arrears.reminder_dialog import ReminderDialog
    from frontdesk.services.arrears import listing, reminders

    made: list[tuple[str, Make]] = []
    owing = listing.arrears_report(ctx.db, ctx.actor).rows
    if owing:
        made.append(("reminder-dialog", lambda: ReminderDialog(ctx, owing[0])))
    notices = reminders.printed_notices(ctx.db, ctx.actor)
    if notices:
        made.append(("delivery-dialog", lambda: DeliveryDialog(ctx, notices[:2])))
    return made


def _visitors(ctx: AppContext) -> list[tuple[str, Make]]:
    from frontdesk.gui.screens.visitors.bookings_tab import BookingDialog
    from frontdesk.gui.screens.visitors.watch_tab import WatchDialog

    made: list[tuple[str, Make]] = [
        ("booking-dialog", lambda: BookingDialog(ctx)),
        ("watch-dialog", lambda: WatchDialog(ctx)),
    ]
    if ctx.can(Permission.TAKE_WORK_ORDERS):
        made.append(("visitor-register-repair", lambda: _repair_registration(ctx)))
    return made


def _counter(ctx: AppContext) -> list[tuple[str, Make]]:
    """前台登记: each register's dialogs."""
    return [*_parcels(ctx), *_keys_and_lending(ctx), *_lost_property(ctx), *_shift_log(ctx)]


def _lost_property(ctx: AppContext) -> list[tuple[str, Make]]:
    from frontdesk.gui.screens.counter.goods_lost_settings import GoodsLostSettingsDialog
    from frontdesk.gui.screens.counter.lost_property_tab import LostClaimDialog
    from frontdesk.services import lost_property

    if not ctx.can(Permission.KEEP_COUNTER_REGISTERS):
        return []
    held = lost_property.list_items(ctx.db, ctx.actor)
    made: list[tuple[str, Make]] = []
    if held:
        made.append(("lost-claim-dialog", lambda: LostClaimDialog(ctx, held[0])))
    if ctx.can(Permission.EDIT_COMMUNITY):
        made.append(("goods-lost-settings-dialog", lambda: GoodsLostSettingsDialog(ctx)))
    return made


def _parcels(ctx: AppContext) -> list[tuple[str, Make]]:
    from frontdesk.gui.screens.counter.parcel_settings import ParcelSettingsDialog

    if not ctx.can(Permission.EDIT_COMMUNITY):
        return []
    return [("parcel-settings-dialog", lambda: ParcelSettingsDialog(ctx))]


def _keys_and_lending(ctx: AppContext) -> list[tuple[str, Make]]:
    """钥匙托管 and 物品借用, on a key of the demo's cabinet."""
    if not ctx.can(Permission.KEEP_COUNTER_REGISTERS):
        return []
    from frontdesk.gui.screens.counter.key_dialogs import KeyDialog, KeyHistoryDialog, LendDialog
    from frontdesk.gui.screens.counter.key_lending_settings import KeyLendingSettingsDialog
    from frontdesk.gui.screens.counter.lending_tab import LendableItemDialog
    from frontdesk.services import key_custody

    made: list[tuple[str, Make]] = [("key-dialog", lambda: KeyDialog(ctx))]
    if ctx.can(Permission.EDIT_COMMUNITY):
        made.append(("lendable-item-dialog", lambda: LendableItemDialog(ctx)))
        made.append(("key-lending-settings-dialog", lambda: KeyLendingSettingsDialog(ctx)))
    held = key_custody.list_keys(ctx.db, ctx.actor)
    if held:
        key = held[0]
        links = key_custody.key_links(ctx.db, ctx.actor, key.tag)
        history = key_custody.key_history(ctx.db, ctx.actor, key.tag)
        made.append(("key-lend-dialog", lambda: LendDialog(ctx, key, links)))
        made.append(("key-history-dialog", lambda: KeyHistoryDialog(*history)))
    return made


def _shift_log(ctx: AppContext) -> list[tuple[str, Make]]:
    from frontdesk.gui.screens.counter.shift_ack import ShiftAckDialog
    from frontdesk.services.shift_log import book

    if not ctx.can(Permission.KEEP_COUNTER_REGISTERS):
        return []
    waiting = book.waiting_handover(ctx.db, ctx.actor)
    if waiting is None:
        return []
    return [("shift-ack-dialog", lambda: ShiftAckDialog(ctx, waiting))]


def _certificates(ctx: AppContext) -> list[tuple[str, Make]]:
    """作废证明 on the newest certificate of the register (a demo without its papers has
    none: then on an example number, shown only)."""
    from frontdesk.gui.screens.counter.certificates_tab import RevokeDialog
    from frontdesk.services.certificates import register

    if not ctx.can(Permission.ISSUE_CERTIFICATES):
        return []
    rows = register.list_certificates(ctx.db, ctx.actor, register.CertificateFilter(limit=1))
    if rows:
        return [("certificate-revoke-dialog", lambda: RevokeDialog.of(ctx, rows[0]))]
    example = "居住证明 ZM0000000000（示例）"
    return [("certificate-revoke-dialog", lambda: RevokeDialog(ctx, "ZM0000000000", example))]


def _repair_registration(ctx: AppContext) -> QWidget:
    """访客登记 of a repair worker for a room with open work orders: 维修工单 offered."""
    from frontdesk.domain.service_desk import Kind
    from frontdesk.domain.visitors import Purpose
    from frontdesk.gui.screens.visitors.register_tab import RegisterTab
    from frontdesk.services import service_desk

    tab = RegisterTab(ctx)
    tab.resize(1180, 620)
    ui = tab.ui
    ui.phoneEdit.setText("13900001234")
    ui.nameEdit.setText("王建军")
    ui.purposeCombo.setCurrentIndex(ui.purposeCombo.findData(Purpose.REPAIR.value))
    row = next(
        (r for r in service_desk.board(ctx.db, ctx.actor) if r.kind == Kind.REPAIR_HOME),
        None,
    )
    if row is not None and row.room_id is not None:
        tab.room.set_room(row.room_id, row.room_code)
        tab.room.room_chosen.emit(row.room_id)
    return tab


def _movein(ctx: AppContext) -> list[tuple[str, Make]]:
    from frontdesk.gui.screens.movein.batches_tab import AppointmentDialog, BatchDialog
    from frontdesk.gui.screens.movein.defect_dialogs import (
        DefectDialog,
        DefectFixDialog,
        DefectPhotosDialog,
        RecheckDialog,
    )
    from frontdesk.gui.screens.movein.step_dialogs import CompleteDialog, StepDialog
    from frontdesk.services.movein import defects
    from frontdesk.services.movein import handover as movein

    made: list[tuple[str, Make]] = [
        ("batch-dialog", lambda: BatchDialog(ctx)),
        ("defect-dialog", lambda: DefectDialog(ctx)),
    ]
    batches = movein.list_batches(ctx.db, ctx.actor)
    board = movein.batch_board(ctx.db, ctx.actor, batches[0].id).rows if batches else []
    if board:
        first = board[0]
        made.append(("appointment-dialog", lambda: AppointmentDialog(ctx, first)))
        sheet = movein.checklist(ctx.db, ctx.actor, first.room_id)
        made += [
            (f"step-dialog-{step.value}", partial(StepDialog, ctx, sheet, step)) for step in Step
        ]
        made.append(("complete-dialog", lambda: CompleteDialog(ctx, sheet)))
    found = defects.list_defects(ctx.db, ctx.actor)
    if found:
        defect = found[0]
        made += [
            ("defect-fix-dialog", lambda: DefectFixDialog(ctx, defect)),
            ("recheck-dialog", lambda: RecheckDialog(ctx, defect)),
            ("defect-photos-dialog", lambda: DefectPhotosDialog(ctx, defect)),
        ]
    return made


def _renovation(ctx: AppContext) -> list[tuple[str, Make]]:
    from frontdesk.gui.screens.renovation.dialogs import (
        ACTIONS,
        ActionDialog,
        ApplyDialog,
        ApproveDialog,
        WorkerDialog,
    )
    from frontdesk.services.renovation import views

    made: list[tuple[str, Make]] = [("renovation-apply-dialog", lambda: ApplyDialog(ctx))]
    rows = views.list_renovations(ctx.db, ctx.actor)
    if rows:
        row = rows[0]
        made += [
            ("renovation-approve-dialog", lambda: ApproveDialog(ctx, row)),
            ("renovation-worker-dialog", lambda: WorkerDialog(ctx, row)),
        ]
        made += [
            (f"renovation-{kind}-dialog", partial(ActionDialog, ctx, row, kind)) for kind in ACTIONS
        ]
    return made


def _settings(ctx: AppContext) -> list[tuple[str, Make]]:
    from frontdesk.gui.screens.admin.restore_dialog import RestoreConfirmDialog
    from frontdesk.gui.screens.admin.user_dialogs import (
        ChangePasswordDialog,
        EditUserDialog,
        NewUserDialog,
        ResetPasswordDialog,
    )
    from frontdesk.services import users
    from frontdesk.services.protection import backup_contents, backup_folder
    from frontdesk.services.protection.restore import RestorePlan, check_backup_file

    made: list[tuple[str, Make]] = [
        ("new-user-dialog", lambda: NewUserDialog()),
        ("change-password-dialog", lambda: ChangePasswordDialog()),
    ]
    if ctx.can(Permission.MANAGE_USERS):
        user = users.list_users(ctx.db, ctx.actor)[0]
        made += [
            ("edit-user-dialog", lambda: EditUserDialog(user)),
            ("reset-password-dialog", lambda: ResetPasswordDialog(user)),
        ]
    if not ctx.db.on_server:  # a server database is restored from the command line
        path: Path = backup_folder.database_path(ctx.db)
        contents = backup_contents.contents_of(path)
        plan = RestorePlan(path, contents, contents, check_backup_file(path))
        made.append(("restore-dialog", lambda: RestoreConfirmDialog(plan, None)))
    if ctx.can(Permission.MANAGE_SERVICE_DESK):
        from frontdesk.gui.screens.admin.repair_prices_tab import RepairPriceDialog
        from frontdesk.gui.screens.admin.service_desk_tab import CategoryDialog, StaffDialog
        from frontdesk.services.service_desk import repairs
        from frontdesk.services.service_desk import settings as desk_settings

        category = desk_settings.categories(ctx.db)[0]
        worker = next(iter(desk_settings.staff(ctx.db)), None)
        linkable = desk_settings.linkable_users(ctx.db, ctx.actor)
        price = next(iter(repairs.price_list(ctx.db)), None)
        made += [
            ("service-category-dialog", lambda: CategoryDialog(ctx, category)),
            ("service-staff-dialog", lambda: StaffDialog(ctx, worker, linkable)),
            ("repair-price-dialog", lambda: RepairPriceDialog(ctx, price)),
        ]
    return made


def _service_desk(ctx: AppContext) -> list[tuple[str, Make]]:
    if not ctx.can(Permission.TAKE_WORK_ORDERS):
        return []
    from frontdesk.domain import clock
    from frontdesk.domain.service_desk import Kind
    from frontdesk.gui.screens.service_desk.charge_dialog import RepairChargeDialog
    from frontdesk.gui.screens.service_desk.intake_dialog import IntakeDialog
    from frontdesk.gui.screens.service_desk.step_dialogs import (
        AssignDialog,
        CallbackDialog,
        FinishDialog,
        ReasonDialog,
        ReplyDialog,
        SuperviseDialog,
    )
    from frontdesk.services import service_desk
    from frontdesk.services.service_desk import EscalationRow
    from frontdesk.services.service_desk.repairs import CHARGEABLE

    rows = service_desk.board(ctx.db, ctx.actor)
    row = rows[0] if rows else _sample_order()
    finished = [r for r in rows if r.kind == Kind.REPAIR_HOME and r.status in CHARGEABLE]
    prices = service_desk.price_list(ctx.db)

    def charge() -> QWidget:
        """A finished repair's charge with a line added, as the clerk sees it at work."""
        dialog = RepairChargeDialog(ctx, finished[0] if finished else row, prices)
        if prices:
            dialog.add_line()
        return dialog

    complaint = next((r for r in rows if r.kind == Kind.COMPLAINT), row)
    escalations = service_desk.escalations(ctx.db, ctx.actor)
    escalation = (
        escalations[0]
        if escalations
        else EscalationRow(complaint, clock.utc_now(), timedelta(minutes=35), None, "")
    )

    def complaint_intake() -> QWidget:
        dialog = IntakeDialog(ctx)
        dialog.kinds.select(Kind.COMPLAINT)
        return dialog

    def reason() -> QWidget:
        return ReasonDialog(ctx, row, "暂停", "暂停原因", lambda _why: None)

    shown = _richest_order(ctx, rows)
    viewed = _order_views(ctx, shown, rows) if shown is not None else []
    return [
        ("work-order-intake-dialog", lambda: IntakeDialog(ctx)),
        ("work-order-intake-complaint-dialog", complaint_intake),
        ("work-order-dispatch-dialog", lambda: AssignDialog(ctx, row)),
        ("work-order-transfer-dialog", lambda: AssignDialog(ctx, row, transfer=True)),
        ("work-order-reason-dialog", reason),
        ("work-order-finish-dialog", lambda: FinishDialog(ctx, row)),
        ("work-order-callback-dialog", lambda: CallbackDialog(ctx, row)),
        *viewed,
        ("work-order-reply-dialog", lambda: ReplyDialog(ctx, complaint)),
        ("work-order-supervise-dialog", lambda: SuperviseDialog(ctx, escalation)),
        ("repair-charge-dialog", charge),
        *_surveys(ctx),
    ]


def _surveys(ctx: AppContext) -> list[tuple[str, Make]]:
    """The supervisor's survey dialogs: a new survey, and the sample of the newest."""
    if not ctx.can(Permission.MANAGE_SERVICE_DESK):
        return []
    from frontdesk.gui.screens.service_desk.surveys_tab import SampleDialog, SurveyDialog
    from frontdesk.services import surveys

    listed = surveys.list_surveys(ctx.db, ctx.actor)
    newest = listed[0].survey_id if listed else 0
    return [
        ("survey-define-dialog", lambda: SurveyDialog(ctx)),
        ("survey-sample-dialog", lambda: SampleDialog(ctx, newest)),
    ]


def _order_views(ctx: AppContext, order_id: int, rows: list[OrderRow]) -> list[tuple[str, Make]]:
    """The full view on a demo order (its pages with history, photos and visits), and
    the intake with photos in its strip."""
    from frontdesk.gui.screens.service_desk.intake_dialog import IntakeDialog
    from frontdesk.gui.screens.service_desk.order_view import OrderViewDialog

    def view(page: int) -> Make:
        def make() -> QWidget:
            dialog = OrderViewDialog(ctx, order_id)
            dialog.ui.tabs.setCurrentIndex(page)
            return dialog

        return make

    def intake_with_photos() -> QWidget:
        dialog = IntakeDialog(ctx)
        dialog.photo_strip.add_files(_demo_photo_files(ctx, rows))
        dialog.description_edit.setText("卫生间吊顶渗水，照片见附件")
        return dialog

    return [
        ("work-order-view-dialog", view(0)),
        ("work-order-view-history", view(1)),
        ("work-order-view-photos", view(3)),
        ("work-order-view-visits", view(6)),
        ("work-order-intake-photos", intake_with_photos),
    ]


def _demo_photo_files(ctx: AppContext, rows: list[OrderRow]) -> list[Path]:
    """Copies of the demo's order photos under a phone's file names, for the strip."""
    import shutil
    import tempfile

    from frontdesk.services import service_desk

    folder = Path(tempfile.mkdtemp(prefix="frontdesk-selftest-photos-"))
    copies: list[Path] = []
    for row in rows[:80]:
        for photo in service_desk.list_photos(ctx.db, ctx.actor, row.id):
            stored = photo.stored(ctx.db)
            if stored is None:
                continue
            copy = folder / f"IMG_{len(copies) + 1:04d}.jpg"
            shutil.copyfile(stored, copy)
            copies.append(copy)
        if len(copies) >= 3:
            break
    return copies


def _richest_order(ctx: AppContext, rows: list[OrderRow]) -> int | None:
    """The open order whose full view has the most to show (photos, a worker's visit,
    callbacks, steps): the demo photographs a few."""
    from frontdesk.services import service_desk

    def weight(order_id: int) -> tuple[int, int, int, int]:
        facts = service_desk.order_facts(ctx.db, ctx.actor, order_id)
        return (len(facts.visits), len(facts.photos), len(facts.charges), len(facts.events))

    return max((r.id for r in rows[:80]), key=weight, default=None)


def _sample_order() -> OrderRow:
    """An order to show the step dialogs on when the demo has none (nothing is saved)."""
    from frontdesk.domain import clock
    from frontdesk.domain.service_desk import Channel, Kind, Status, Urgency

    return OrderRow(
        id=0,
        number="GD-0000-0001",
        kind=Kind.REPAIR_HOME,
        channel=Channel.PHONE,
        category="水电",
        urgency=Urgency.URGENT,
        status=Status.ACCEPTED,
        paused=False,
        room_id=None,
        room_code="1-1-101",
        where="1-1-101",
        building_id=None,
        caller="张先生 138****5678",
        description="厨房水龙头漏水，关不住",
        staff="",
        team=None,
        taken_at=clock.utc_now(),
        taken_by="前台",
        stage=None,
        due_at=None,
        light=None,
        remaining=None,
        failed_callbacks=0,
    )
