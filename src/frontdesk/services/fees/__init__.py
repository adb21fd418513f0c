"""Fees (收费): fee items and price plans, the monthly billing run and meter readings,
taking money at the counter with its receipts, refunds, the day close and the collection rate.

The area's use-cases (functions taking the `Database`) with their inputs and rows, loaded
on first use; helpers taking a `Session` stay in their modules."""

from __future__ import annotations

from typing import TYPE_CHECKING

from frontdesk.services.lazy_exports import lazy_exports

if TYPE_CHECKING:
    from frontdesk.services.fees.account import DepositHeld, HouseholdAccount, household_account
    from frontdesk.services.fees.billing import BillingResult, DraftRow, ItemTotal, run_billing
    from frontdesk.services.fees.cash_close import (
        CashierDayRow,
        CloseResult,
        DayTotals,
        Takings,
        VoidedReceipt,
        close_cash,
        day_totals,
        open_takings,
    )
    from frontdesk.services.fees.charges import ChargeQuote, add_charge, quote_charge
    from frontdesk.services.fees.collection import (
        CollectionFigures,
        CollectionLine,
        collection_by_building,
        collection_figures,
    )
    from frontdesk.services.fees.estimates import FeeEstimate
    from frontdesk.services.fees.grid import (
        FeeState,
        RoomFeeState,
        building_fee_states,
    )
    from frontdesk.services.fees.items import (
        FeeItemRow,
        PricePlanRow,
        ReductionRuleRow,
        add_fee_item,
        add_price_plan,
        add_reduction_rule,
        list_fee_items,
        list_price_plans,
        list_reduction_rules,
        set_fee_item_active,
        set_fee_item_unit,
    )
    from frontdesk.services.fees.journal import JournalRow, receipt_journal
    from frontdesk.services.fees.ledger import (
        BillLine,
    )
    from frontdesk.services.fees.meters import (
        ImportedReading,
        ReadingInput,
        ReadingRow,
        read_workbook,
        reading_grid,
        save_readings,
    )
    from frontdesk.services.fees.payments import (
        AdvanceLine,
        CounterView,
        PaymentRequest,
        PostedPayment,
        ReductionInput,
        TenderInput,
        advance_quote,
        counter_view,
        post_payment,
    )
    from frontdesk.services.fees.receipts import (
        ReceiptItem,
        ReceiptSettings,
        ReceiptView,
        RefundedReceipt,
        receipt_settings,
        receipt_view,
        record_invoice,
        record_print,
        record_spoiled_form,
        set_receipt_settings,
    )
    from frontdesk.services.fees.refunds import (
        DeductionInput,
        PostedRefund,
        RefundRequest,
        post_refund,
    )
    from frontdesk.services.fees.voids import void_receipt

__all__ = [
    "AdvanceLine",
    "BillLine",
    "BillingResult",
    "CashierDayRow",
    "ChargeQuote",
    "CloseResult",
    "CollectionFigures",
    "CollectionLine",
    "CounterView",
    "DayTotals",
    "DeductionInput",
    "DepositHeld",
    "DraftRow",
    "FeeEstimate",
    "FeeItemRow",
    "FeeState",
    "HouseholdAccount",
    "ImportedReading",
    "ItemTotal",
    "JournalRow",
    "PaymentRequest",
    "PostedPayment",
    "PostedRefund",
    "PricePlanRow",
    "ReadingInput",
    "ReadingRow",
    "ReceiptItem",
    "ReceiptSettings",
    "ReceiptView",
    "ReductionInput",
    "ReductionRuleRow",
    "RefundRequest",
    "RefundedReceipt",
    "RoomFeeState",
    "Takings",
    "TenderInput",
    "VoidedReceipt",
    "add_charge",
    "add_fee_item",
    "add_price_plan",
    "add_reduction_rule",
    "advance_quote",
    "building_fee_states",
    "close_cash",
    "collection_by_building",
    "collection_figures",
    "counter_view",
    "day_totals",
    "household_account",
    "list_fee_items",
    "list_price_plans",
    "list_reduction_rules",
    "open_takings",
    "post_payment",
    "post_refund",
    "quote_charge",
    "read_workbook",
    "reading_grid",
    "receipt_journal",
    "receipt_settings",
    "receipt_view",
    "record_invoice",
    "record_print",
    "record_spoiled_form",
    "run_billing",
    "save_readings",
    "set_fee_item_active",
    "set_fee_item_unit",
    "set_receipt_settings",
    "void_receipt",
]
__getattr__, __dir__ = lazy_exports(__name__, __path__, __all__)
