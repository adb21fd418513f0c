"""All mapped classes; importing this package registers every table on Base.metadata,
and the triggers the models declare (db/triggers.py) to be made with the tables."""

from sqlalchemy import event

from frontdesk.db.base import Base
from frontdesk.db.models.arrears import BillOpen, LateFeeWaiver, Reminder
from frontdesk.db.models.audit import AuditEntry, AuditHead
from frontdesk.db.models.certificates import Certificate
from frontdesk.db.models.community import Community, DataKey, Setting
from frontdesk.db.models.documents import (
    FileArea,
    IssuedDocument,
    IssuedSubject,
    Notice,
    NoticeBuilding,
    NoticeTemplateRow,
    StoredFile,
)
from frontdesk.db.models.fees import (
    Allocation,
    Bill,
    BillingRun,
    CashClose,
    CollectionTally,
    FeeItem,
    InvoiceRecord,
    MeterReading,
    Payment,
    PrepaidEntry,
    PricePlan,
    Receipt,
    ReceiptPrint,
    ReceiptSeries,
    ReceiptVoid,
    Reduction,
    ReductionRule,
    Refund,
    RefundDeduction,
    SpoiledForm,
    Tender,
)
from frontdesk.db.models.goods_passes import GoodsPass
from frontdesk.db.models.households import (
    Attachment,
    ButlerContact,
    CareNeed,
    HouseholdProfile,
    ParkingUse,
    Person,
    Pet,
    Vehicle,
)
from frontdesk.db.models.key_custody import HeldKey, KeyLending
from frontdesk.db.models.lending import ItemLoan, LendableItem
from frontdesk.db.models.lookups import PhoneLookup
from frontdesk.db.models.lost_property import LostItem
from frontdesk.db.models.movein import (
    AccessCard,
    Defect,
    DefectPhoto,
    Handover,
    HandoverBatch,
    HandoverStep,
)
from frontdesk.db.models.onboarding import (
    ImportBatch,
    ImportedPayment,
    ImportMapping,
    OpeningDeposit,
    PaidThrough,
)
from frontdesk.db.models.parcels import Parcel
from frontdesk.db.models.renovation import (
    Renovation,
    RenovationBill,
    RenovationEvent,
    RenovationInspection,
    RenovationPhoto,
    RenovationViolation,
    RenovationWorker,
)
from frontdesk.db.models.service_desk import (
    RepairCharge,
    RepairChargeLine,
    RepairPrice,
    ServiceCategory,
    ServiceStaff,
    WorkOrder,
    WorkOrderEvent,
    WorkOrderPhoto,
)
from frontdesk.db.models.shift_log import ShiftAcknowledgement, ShiftEntry
from frontdesk.db.models.structure import Building, Room, Unit
from frontdesk.db.models.surveys import (
    Survey,
    SurveyCall,
    SurveyDimension,
    SurveyHousehold,
    SurveyScore,
)
from frontdesk.db.models.users import User
from frontdesk.db.models.visitors import Visit, VisitBooking, WatchEntry
from frontdesk.db.triggers import create_declared

if not event.contains(Base.metadata, "after_create", create_declared):
    event.listen(Base.metadata, "after_create", create_declared)

__all__ = [
    "AccessCard",
    "Allocation",
    "Attachment",
    "AuditEntry",
    "AuditHead",
    "Bill",
    "BillOpen",
    "BillingRun",
    "Building",
    "ButlerContact",
    "CareNeed",
    "CashClose",
    "Certificate",
    "CollectionTally",
    "Community",
    "DataKey",
    "Defect",
    "DefectPhoto",
    "FeeItem",
    "FileArea",
    "GoodsPass",
    "Handover",
    "HandoverBatch",
    "HandoverStep",
    "HeldKey",
    "HouseholdProfile",
    "ImportBatch",
    "ImportMapping",
    "ImportedPayment",
    "InvoiceRecord",
    "IssuedDocument",
    "IssuedSubject",
    "ItemLoan",
    "KeyLending",
    "LateFeeWaiver",
    "LendableItem",
    "LostItem",
    "MeterReading",
    "Notice",
    "NoticeBuilding",
    "NoticeTemplateRow",
    "OpeningDeposit",
    "PaidThrough",
    "Parcel",
    "ParkingUse",
    "Payment",
    "Person",
    "Pet",
    "PhoneLookup",
    "PrepaidEntry",
    "PricePlan",
    "Receipt",
    "ReceiptPrint",
    "ReceiptSeries",
    "ReceiptVoid",
    "Reduction",
    "ReductionRule",
    "Refund",
    "RefundDeduction",
    "Reminder",
    "Renovation",
    "RenovationBill",
    "RenovationEvent",
    "RenovationInspection",
    "RenovationPhoto",
    "RenovationViolation",
    "RenovationWorker",
    "RepairCharge",
    "RepairChargeLine",
    "RepairPrice",
    "Room",
    "ServiceCategory",
    "ServiceStaff",
    "Setting",
    "ShiftAcknowledgement",
    "ShiftEntry",
    "SpoiledForm",
    "StoredFile",
    "Survey",
    "SurveyCall",
    "SurveyDimension",
    "SurveyHousehold",
    "SurveyScore",
    "Tender",
    "Unit",
    "User",
    "Vehicle",
    "Visit",
    "VisitBooking",
    "WatchEntry",
    "WorkOrder",
    "WorkOrderEvent",
    "WorkOrderPhoto",
]
