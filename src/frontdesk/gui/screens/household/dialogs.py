"""Add/edit dialogs of the household file, drawn in ui/household/*_dialog.ui.

OK saves through services.households (add_record / update_record) while the dialog
is still open: a ValidationError keeps it open with the message under the form (it
names the field) and the cursor in that field. The service saves all or nothing.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCompleter, QDialog, QDialogButtonBox, QWidget

from frontdesk.domain.household import (
    GENDERS,
    PET_SPECIES,
    CareCategory,
    ParkingKind,
    PersonKind,
    Relation,
)
from frontdesk.domain.identity import IdType
from frontdesk.domain.rooms import RoomType
from frontdesk.errors import ValidationError
from frontdesk.gui.context import AppContext
from frontdesk.gui.forms.household_care_dialog_ui import Ui_CareDialog
from frontdesk.gui.forms.household_parking_dialog_ui import Ui_ParkingDialog
from frontdesk.gui.forms.household_person_dialog_ui import Ui_PersonDialog
from frontdesk.gui.forms.household_pet_dialog_ui import Ui_PetDialog
from frontdesk.gui.forms.household_vehicle_dialog_ui import Ui_VehicleDialog
from frontdesk.gui.ops import Op
from frontdesk.gui.screens.household.dates import date_text, parse_date
from frontdesk.gui.widgets.forms import Choices, form_fields
from frontdesk.services.households import file as households
from frontdesk.services.households import structure
from frontdesk.services.households.file import (
    CareInput,
    CareRow,
    HouseholdFile,
    ParkingInput,
    ParkingRow,
    PersonInput,
    PersonRow,
    PetInput,
    PetRow,
    Record,
    VehicleInput,
    VehicleRow,
)
from frontdesk.services.households.structure import RoomFilter, RoomRow

DOG = PET_SPECIES[0]
UNSET = "未填"


class RecordDialog(QDialog):
    """The shared behaviour; a subclass sets up `ui` (with roomLabel, hintLabel,
    errorLabel, form, buttonBox), calls `_finish_setup()` and implements `value()`."""

    noun = ""
    ui: Any

    def __init__(
        self, ctx: AppContext, file: HouseholdFile, record_id: int | None, parent: QWidget | None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.file = file
        self.record_id = record_id
        self.saved_id = record_id

    def _finish_setup(self) -> None:
        verb = "新增" if self.record_id is None else "修改"
        self.setWindowTitle(f"{verb}{self.noun}")
        self.ui.roomLabel.setText(f"{self.file.room.code}　{verb}{self.noun}")
        box = self.ui.buttonBox
        box.button(QDialogButtonBox.StandardButton.Ok).setText("保存")
        box.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        self.ui.hintLabel.setVisible(bool(self.ui.hintLabel.text()))
        self.ui.errorLabel.hide()
        self.adjustSize()

    def value(self) -> Record:
        """The record as typed; may raise ValidationError for what the form checks itself."""
        raise NotImplementedError

    def accept(self) -> None:
        ctx, room_id, record_id = self.ctx, self.file.room.id, self.record_id

        def save(data: Record) -> int | None:
            if record_id is None:
                return households.add_record(ctx.db, ctx.actor, room_id, data)
            households.update_record(ctx.db, ctx.actor, record_id, data)
            return None

        Op(self, ctx.tasks, save, given=self.value, title="无法保存").fields(
            form_fields(self.ui.form)
        ).inline(self.ui.errorLabel).success(self._saved).run()

    def _saved(self, saved_id: int | None) -> None:
        if saved_id is not None:
            self.saved_id = saved_id
        super().accept()


# people --------------------------------------------------------------------------


class PersonDialog(RecordDialog):
    """Owners note their share, tenants their lease; emergency contacts need no ID.

    Editing from a masked file leaves ID number and phone blank: blank means
    "unchanged" (the masked value is sent, which update_record reads as "keep")."""

    noun = "成员"

    def __init__(
        self,
        ctx: AppContext,
        file: HouseholdFile,
        row: PersonRow | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ctx, file, row.id if row else None, parent)
        self.row = row
        self.ui = ui = Ui_PersonDialog()
        ui.setupUi(self)
        first_kind = PersonKind.OWNER if not file.owners else PersonKind.RESIDENT
        self.kinds = Choices(
            ui.kindCombo, [(k.label, k) for k in PersonKind], row.kind if row else first_kind
        )
        self.genders = Choices(
            ui.genderCombo, [(g or UNSET, g) for g in GENDERS], row.gender if row else ""
        )
        relations: list[tuple[str, Relation | None]] = [(UNSET, None)]
        self.relations = Choices(
            ui.relationCombo,
            relations + [(r.label, r) for r in Relation],
            row.relation if row else None,
        )
        self.id_types = Choices(
            ui.idTypeCombo,
            [(t.label, t) for t in IdType],
            (row.id_type if row else None) or IdType.RESIDENT,
        )
        self.keeps_hidden_values = row is not None and file.masked
        if row is not None:
            self._fill(row)
        ui.kindCombo.currentIndexChanged.connect(lambda _: self._kind_changed())
        self._kind_changed()
        self._finish_setup()

    def _fill(self, row: PersonRow) -> None:
        ui = self.ui
        ui.nameEdit.setText(row.name)
        ui.shareEdit.setText(row.share)
        ui.leaseStartEdit.setText(date_text(row.lease_start))
        ui.leaseEndEdit.setText(date_text(row.lease_end))
        ui.livesHereCheck.setChecked(row.lives_here)
        ui.noteEdit.setText(row.note)
        if not self.keeps_hidden_values:
            ui.idNumberEdit.setText(row.id_number)
            ui.phoneEdit.setText(row.phone)
            return
        for edit, shown in ((ui.idNumberEdit, row.id_number), (ui.phoneEdit, row.phone)):
            edit.setPlaceholderText(f"不修改请留空（现为 {shown}）" if shown else "未登记")
        ui.hintLabel.setText("证件号码和电话已遮挡：留空表示保持原号码不变，填写则改为新号码。")

    def _kind_changed(self) -> None:
        kind = self.kinds.value()
        ui = self.ui
        identity = kind != PersonKind.EMERGENCY
        for widget, shown in (
            (ui.shareEdit, kind == PersonKind.OWNER),
            (ui.leaseStartEdit, kind == PersonKind.TENANT),
            (ui.leaseEndEdit, kind == PersonKind.TENANT),
            (ui.idTypeCombo, identity),
            (ui.idNumberEdit, identity),
            (ui.livesHereCheck, identity),
        ):
            ui.form.setRowVisible(widget, shown)
        if kind == PersonKind.TENANT and self.relations.value() is None:
            self.relations.select(Relation.TENANT)
        self.adjustSize()

    def value(self) -> PersonInput:
        ui = self.ui
        kind = self.kinds.value()
        identity = kind != PersonKind.EMERGENCY
        tenant = kind == PersonKind.TENANT
        id_type = self.id_types.value() if identity else None
        number = ui.idNumberEdit.text().strip() if identity else ""
        phone = ui.phoneEdit.text().strip()
        if self.keeps_hidden_values and self.row is not None:
            number, phone = self._blank_is_unchanged(self.row, id_type, number, phone)
        return PersonInput(
            kind=kind,
            name=ui.nameEdit.text(),
            relation=self.relations.value(),
            gender=self.genders.value(),
            id_type=id_type,
            id_number=number,
            phone=phone,
            share=ui.shareEdit.text() if kind == PersonKind.OWNER else "",
            lease_start=parse_date(ui.leaseStartEdit.text(), "租期开始") if tenant else None,
            lease_end=parse_date(ui.leaseEndEdit.text(), "租期结束") if tenant else None,
            lives_here=ui.livesHereCheck.isChecked() if identity else False,
            note=ui.noteEdit.text(),
        )

    @staticmethod
    def _blank_is_unchanged(
        row: PersonRow, id_type: IdType | None, number: str, phone: str
    ) -> tuple[str, str]:
        if not number and row.id_number and id_type is not None:
            if id_type != row.id_type:
                raise ValidationError("证件号码", "更换了证件类型，请重新填写证件号码")
            number = row.id_number
        return number, phone or row.phone


# vehicles and parking -----------------------------------------------------------------


class VehicleDialog(RecordDialog):
    noun = "车辆"

    def __init__(
        self,
        ctx: AppContext,
        file: HouseholdFile,
        row: VehicleRow | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ctx, file, row.id if row else None, parent)
        self.ui = ui = Ui_VehicleDialog()
        ui.setupUi(self)
        ui.parkingSpaceCombo.addItems([""] + [p.space_code for p in file.parking])
        if row is not None:
            ui.plateEdit.setText(row.plate)
            ui.modelEdit.setText(row.model)
            ui.colourEdit.setText(row.colour)
            ui.parkingSpaceCombo.setCurrentText(row.parking_space)
            ui.noteEdit.setText(row.note)
        self._finish_setup()

    def value(self) -> VehicleInput:
        ui = self.ui
        return VehicleInput(
            plate=ui.plateEdit.text(),
            model=ui.modelEdit.text(),
            colour=ui.colourEdit.text(),
            parking_space=ui.parkingSpaceCombo.currentText(),
            note=ui.noteEdit.text(),
        )


class ParkingDialog(RecordDialog):
    """Any room of type 车位 can be chosen; the service refuses one that is in use."""

    noun = "车位"

    def __init__(
        self,
        ctx: AppContext,
        file: HouseholdFile,
        row: ParkingRow | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ctx, file, row.id if row else None, parent)
        self.ui = ui = Ui_ParkingDialog()
        ui.setupUi(self)
        self.spaces = _parking_spaces(ctx)
        ui.spaceCombo.addItems([""] + [space.code for space in self.spaces])
        completer = QCompleter([space.code for space in self.spaces], self)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        ui.spaceCombo.setCompleter(completer)
        self.kinds = Choices(
            ui.kindCombo,
            [(k.label, k) for k in ParkingKind],
            row.kind if row else ParkingKind.OWNED,
        )
        if not self.spaces:
            ui.hintLabel.setText(
                "小区还没有类型为“车位”的房屋：请先在房屋列表中把车位的类型改为“车位”。"
            )
        if row is not None:
            ui.spaceCombo.setCurrentText(row.space_code)
            ui.startEdit.setText(date_text(row.start_on))
            ui.endEdit.setText(date_text(row.end_on))
            ui.noteEdit.setText(row.note)
        self._finish_setup()

    def value(self) -> ParkingInput:
        ui = self.ui
        codes = [space.code for space in self.spaces]
        code = ui.spaceCombo.currentText().strip()
        if code not in codes:
            raise ValidationError("车位", "请从列表中选择一个车位")
        return ParkingInput(
            space_id=self.spaces[codes.index(code)].id,
            kind=self.kinds.value(),
            start_on=parse_date(ui.startEdit.text(), "开始日期"),
            end_on=parse_date(ui.endEdit.text(), "结束日期"),
            note=ui.noteEdit.text(),
        )


def _parking_spaces(ctx: AppContext) -> list[RoomRow]:
    flt = RoomFilter(room_type=RoomType.PARKING)
    return structure.room_rows(ctx.db, ctx.actor, structure.room_ids(ctx.db, ctx.actor, flt))


# pets and care --------------------------------------------------------------------------


class PetDialog(RecordDialog):
    """The dog licence (文明养犬) is asked for dogs only."""

    noun = "宠物"

    def __init__(
        self,
        ctx: AppContext,
        file: HouseholdFile,
        row: PetRow | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ctx, file, row.id if row else None, parent)
        self.ui = ui = Ui_PetDialog()
        ui.setupUi(self)
        self.species = Choices(
            ui.speciesCombo, [(s, s) for s in PET_SPECIES], row.species if row else DOG
        )
        if row is not None:
            ui.nameEdit.setText(row.name)
            ui.breedEdit.setText(row.breed)
            ui.licenceEdit.setText(row.licence_no)
            ui.vaccinatedEdit.setText(date_text(row.vaccinated_on))
            ui.noteEdit.setText(row.note)
        ui.speciesCombo.currentIndexChanged.connect(lambda _: self._species_changed())
        self._species_changed()
        self._finish_setup()

    def _species_changed(self) -> None:
        self.ui.form.setRowVisible(self.ui.licenceEdit, self.species.value() == DOG)

    def value(self) -> PetInput:
        ui = self.ui
        species = self.species.value()
        return PetInput(
            species=species,
            name=ui.nameEdit.text(),
            breed=ui.breedEdit.text(),
            licence_no=ui.licenceEdit.text() if species == DOG else "",
            vaccinated_on=parse_date(ui.vaccinatedEdit.text(), "免疫日期"),
            note=ui.noteEdit.text(),
        )


class CareDialog(RecordDialog):
    """特殊群体关怀: who, why, and how often a butler should visit."""

    noun = "关怀对象"

    def __init__(
        self,
        ctx: AppContext,
        file: HouseholdFile,
        row: CareRow | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ctx, file, row.id if row else None, parent)
        self.ui = ui = Ui_CareDialog()
        ui.setupUi(self)
        ui.personCombo.addItems(list(dict.fromkeys(p.name for p in file.people)))
        self.categories = Choices(
            ui.categoryCombo,
            [(c.label, c) for c in CareCategory],
            row.category if row else CareCategory.ALONE,
        )
        ui.personCombo.setCurrentText(row.person_name if row else "")
        if row is not None:
            ui.visitSpin.setValue(row.visit_every_days)
            ui.lastVisitEdit.setText(date_text(row.last_visit_on))
            ui.noteEdit.setPlainText(row.note)
        ui.hintLabel.setText("上次探访后满一个探访周期即到期，到期未探访的会在“概况”中提醒。")
        self._finish_setup()

    def value(self) -> CareInput:
        ui = self.ui
        return CareInput(
            person_name=ui.personCombo.currentText(),
            category=self.categories.value(),
            note=ui.noteEdit.toPlainText(),
            visit_every_days=ui.visitSpin.value(),
            last_visit_on=parse_date(ui.lastVisitEdit.text(), "上次探访"),
        )
