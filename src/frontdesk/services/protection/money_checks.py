"""The money invariants `frontdesk check` looks at.

They follow from how postings are written (services/fees/payments.py, refunds.py,
billing.py): money rows are only inserted, a void adds the originals negated, so
each balance is a plain sum and must add up.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import inspect, text
from sqlalchemy.orm import Session

from frontdesk.db.engine import Database
from frontdesk.db.kept_totals import BILL_OPEN, COLLECTION_TALLY
from frontdesk.domain.fees import PayMethod
from frontdesk.domain.money import format_yuan
from frontdesk.domain.rooms import room_code
from frontdesk.services.fees.billing import AUTO_DRAW_CASHIER
from frontdesk.services.fees.items import RECEIPT_SERIES, REFUND_SERIES


def receipt_no(series: str, number: int) -> str:
    """A receipt's printed number: the series and eight digits."""
    return f"{series}{number:08d}"


def _yuan(fen: int) -> str:
    return format_yuan(fen, symbol=True)


@dataclass
class _Names:
    """How a problem names its subject: room codes, receipt numbers, bill titles."""

    rooms: dict[int, str]
    payment_receipts: dict[int, str]

    def room(self, room_id: int | None) -> str:
        return self.rooms.get(room_id or 0, f"房屋#{room_id}")

    def payment(self, payment_id: int) -> str:
        receipt = self.payment_receipts.get(payment_id)
        return f"收据 {receipt}" if receipt else f"收款#{payment_id}"


def _method_label(method: str) -> str:
    try:
        return PayMethod(method).label
    except ValueError:
        return f"未知收款方式“{method}”"


def _names(session: Session) -> _Names:
    rooms = {
        room_id: room_code(building, unit, number)
        for room_id, building, unit, number in session.execute(
            text(
                "SELECT room.id, building.code, unit.code, room.number FROM room "
                "JOIN building ON building.id = room.building_id "
                "LEFT JOIN unit ON unit.id = room.unit_id"
            )
        )
    }
    receipts = {
        payment_id: receipt_no(series, number)
        for payment_id, series, number in session.execute(
            text("SELECT payment_id, series, number FROM receipt WHERE payment_id IS NOT NULL")
        )
    }
    return _Names(rooms, receipts)


_MoneyCheck = Callable[[Session, _Names], list[str]]


def money_problems(db: Database) -> list[tuple[list[str], str]]:
    """Each money invariant as (its problems, what passing it means); [] for a file
    from before fees existed."""
    with db.read() as session:
        tables = set(inspect(session.connection()).get_table_names())
        if "receipt" not in tables:
            return []
        names = _names(session)
        return [(check(session, names), passed) for check, passed in _CHECKS]


def _receipt_numbers(session: Session, names: _Names) -> list[str]:
    series_next: dict[str, int] = {
        code: int(next_number)
        for code, next_number in session.execute(
            text("SELECT code, next_number FROM receipt_series")
        )
    }
    numbers: dict[str, list[int]] = defaultdict(list)
    for series, number in session.execute(text("SELECT series, number FROM receipt")):
        numbers[series].append(int(number))
    problems = []
    for series in sorted(set(numbers) | ({RECEIPT_SERIES, REFUND_SERIES} & set(series_next))):
        taken = sorted(numbers.get(series, []))
        next_number = int(series_next.get(series, 1))
        seen: set[int] = set()
        for number in taken:
            if number in seen:
                problems.append(f"收据号 {receipt_no(series, number)} 重复")
            seen.add(number)
            if number >= next_number or number < 1:
                problems.append(
                    f"收据 {receipt_no(series, number)} 的号码不在号段已发出的范围内"
                    f"（下一个号应为 {receipt_no(series, next_number)}）"
                )
        missing = [n for n in range(1, next_number) if n not in seen]
        problems += [
            f"收据 {receipt_no(series, n)} 缺失：号段 {series} 已发到 "
            f"{receipt_no(series, next_number - 1)}，这一号却不在"
            for n in missing
        ]
    return problems


def _receipt_links(session: Session, names: _Names) -> list[str]:
    problems = [
        f"收据 {receipt_no(series, number)}（{names.room(room_id)}）"
        + ("既无收款也无退款" if payment_id is None else "同时登记为收款和退款")
        for series, number, room_id, payment_id in session.execute(
            text(
                "SELECT series, number, room_id, payment_id FROM receipt "
                "WHERE (payment_id IS NULL) = (refund_id IS NULL) ORDER BY series, number"
            )
        )
    ]
    problems += [
        f"{names.room(room_id)} {day} 的收款 {_yuan(total)}（{cashier}）没有收据"
        for room_id, day, total, cashier in session.execute(
            text(
                "SELECT room_id, day, total_fen, cashier_name FROM payment p "
                "WHERE NOT EXISTS (SELECT 1 FROM receipt r WHERE r.payment_id = p.id) "
                "AND NOT (cashier_id IS NULL AND cashier_name = :auto) ORDER BY id"
            ),
            {"auto": AUTO_DRAW_CASHIER},
        )
    ]
    problems += [
        f"{names.room(room_id)} {day} 的退款 {_yuan(amount)} 没有退款凭证"
        for room_id, day, amount in session.execute(
            text(
                "SELECT room_id, day, amount_fen FROM refund f "
                "WHERE NOT EXISTS (SELECT 1 FROM receipt r WHERE r.refund_id = f.id) ORDER BY id"
            )
        )
    ]
    return problems


def _payment_sums(session: Session, names: _Names) -> list[str]:
    rows = session.execute(
        text(
            "SELECT p.id, p.room_id, p.total_fen, "
            "(SELECT coalesce(sum(amount_fen), 0) FROM tender t WHERE t.payment_id = p.id), "
            "(SELECT coalesce(sum(amount_fen), 0) FROM allocation a "
            " WHERE a.payment_id = p.id AND a.void_id IS NULL), "
            "(SELECT coalesce(sum(amount_fen), 0) FROM prepaid_entry e "
            " WHERE e.payment_id = p.id AND e.void_id IS NULL AND e.amount_fen > 0), "
            "(SELECT count(*) FROM allocation a "
            " WHERE a.payment_id = p.id AND a.void_id IS NULL AND a.amount_fen <= 0) "
            "FROM payment p ORDER BY p.id"
        )
    )
    problems = []
    for payment_id, room_id, total, tendered, allocated, deposited, not_positive in rows:
        what = f"{names.payment(payment_id)}（{names.room(room_id)}）"
        if tendered != total:
            problems.append(f"{what}收款金额 {_yuan(total)}，各收款方式合计却是 {_yuan(tendered)}")
        if allocated + deposited != total:
            problems.append(
                f"{what}收款金额 {_yuan(total)}，分配到账单 {_yuan(allocated)}"
                f"、存入预存 {_yuan(deposited)}，合计不符"
            )
        if not_positive:
            problems.append(f"{what}有 {not_positive} 笔分配到账单的金额不是正数")
    problems += [
        f"{names.payment(payment_id)} 的{_method_label(method)}找零不符：实收 {_yuan(tendered)}，"
        f"应收 {_yuan(amount)}，找零记为 {_yuan(change)}"
        for payment_id, method, amount, tendered, change in session.execute(
            text(
                "SELECT payment_id, method, amount_fen, tendered_fen, change_fen FROM tender "
                "WHERE change_fen != tendered_fen - amount_fen ORDER BY id"
            )
        )
    ]
    return problems


_Voids = dict[int, tuple[str, int, int | None]]  # void id: (series, number, payment id)
_Sums = dict[tuple[int, int], int]  # (payment id, bill or room id): fen


def _void_reversals(session: Session, names: _Names) -> list[str]:
    voids: _Voids = {
        void_id: (series, number, payment_id)
        for void_id, series, number, payment_id in session.execute(
            text(
                "SELECT v.id, r.series, r.number, r.payment_id FROM receipt_void v "
                "JOIN receipt r ON r.id = v.receipt_id"
            )
        )
    }
    problems = [
        f"作废记录指向退款凭证 {receipt_no(series, number)}（退款凭证不能作废）"
        for series, number, payment_id in voids.values()
        if payment_id is None
    ]
    voided_payments = {v[2] for v in voids.values()}
    for table, label in (("allocation", "分配"), ("reduction", "减免"), ("prepaid_entry", "预存")):
        original, reversed_, stray = _posted_and_reversed(session, table, voids)
        problems += [
            f"{names.payment(p)}的{label}冲销不属于这张收据的作废记录" for p in sorted(set(stray))
        ]
        problems += _reversal_mismatches(names, label, original, reversed_, voided_payments)
    return problems


def _posted_and_reversed(
    session: Session, table: str, voids: _Voids
) -> tuple[_Sums, _Sums, list[int]]:
    """A money table's rows per payment and target: the originals, the reversals, and
    the payments whose reversal belongs to no void of theirs."""
    key = "room_id" if table == "prepaid_entry" else "bill_id"
    original: _Sums = defaultdict(int)
    reversed_: _Sums = defaultdict(int)
    stray = []
    for payment_id, target, amount, void_id in session.execute(
        text(
            f"SELECT payment_id, {key}, amount_fen, void_id FROM {table} "
            "WHERE payment_id IS NOT NULL"
        )
    ):
        if void_id is None:
            original[(payment_id, target)] += amount
            continue
        voided = voids.get(void_id)
        if voided is None or voided[2] != payment_id:
            stray.append(payment_id)
        reversed_[(payment_id, target)] += amount
    return original, reversed_, stray


def _reversal_mismatches(
    names: _Names, label: str, original: _Sums, reversed_: _Sums, voided_payments: set[int | None]
) -> list[str]:
    problems = []
    for (payment_id, target), amount in sorted(original.items()):
        if payment_id in voided_payments and reversed_.get((payment_id, target), 0) != -amount:
            problems.append(
                f"作废的{names.payment(payment_id)}的{label}冲销不符：原为 {_yuan(amount)}，"
                f"冲销 {_yuan(-reversed_.get((payment_id, target), 0))}"
            )
    for (payment_id, target), amount in sorted(reversed_.items()):
        if (payment_id, target) not in original:
            problems.append(
                f"{names.payment(payment_id)}有 {_yuan(-amount)} 的{label}冲销，"
                "却没有被冲销的原记录"
            )
        elif payment_id not in voided_payments:
            problems.append(f"{names.payment(payment_id)}未作废，却有{label}冲销")
    return problems


def _bill_title(period: str | None, item: str, description: str) -> str:
    if period:
        year, month = period.split("-")
        return f"{year}年{int(month)}月{item}"
    return description or item


def _bill_balances(session: Session, names: _Names) -> list[str]:
    rows = session.execute(
        text(
            "SELECT b.id, b.room_id, b.period, f.name, b.description, b.due_fen, "
            "coalesce(p.paid, 0), coalesce(r.reduced, 0) FROM bill b "
            "JOIN fee_item f ON f.id = b.fee_item_id "
            "LEFT JOIN (SELECT bill_id, sum(amount_fen) AS paid FROM allocation "
            "           GROUP BY bill_id) p ON p.bill_id = b.id "
            "LEFT JOIN (SELECT bill_id, sum(amount_fen) AS reduced FROM reduction "
            "           GROUP BY bill_id) r ON r.bill_id = b.id "
            "WHERE coalesce(p.paid, 0) + coalesce(r.reduced, 0) > b.due_fen "
            "   OR coalesce(p.paid, 0) < 0 OR coalesce(r.reduced, 0) < 0 "
            "ORDER BY b.id"
        )
    )
    problems = []
    for _bill_id, room_id, period, item, description, due, paid, reduced in rows:
        title = f"{names.room(room_id)} {_bill_title(period, item, description)}"
        if paid < 0 or reduced < 0:
            problems.append(f"{title}：已收 {_yuan(paid)}、减免 {_yuan(reduced)}，冲销多于原收款")
        else:
            problems.append(
                f"{title}：已收 {_yuan(paid)} 加减免 {_yuan(reduced)} 超过应收 {_yuan(due)}"
            )
    return problems


def _kept_totals(session: Session, names: _Names) -> list[str]:
    """`bill_open` and `collection_tally`, which triggers keep, against the same figures
    computed from the money rows (a trigger dropped or a row edited by hand shows)."""
    problems = []
    stale_bills = session.execute(
        text(
            f"WITH due AS ({BILL_OPEN}) "
            "SELECT b.id, b.room_id, b.period, f.name, b.description FROM due "
            "JOIN bill b ON b.id = due.bill_id JOIN fee_item f ON f.id = b.fee_item_id "
            "LEFT JOIN bill_open kept ON kept.bill_id = due.bill_id "
            "WHERE kept.open_fen IS NULL OR kept.open_fen != due.open_fen ORDER BY b.id"
        )
    )
    for _bill_id, room_id, period, item, description in stale_bills:
        title = f"{names.room(room_id)} {_bill_title(period, item, description)}"
        problems.append(f"{title}：账单余额表与收款、减免记录不符")
    columns = (
        "period, building_id, fee_item_id, billed_fen, reduced_at_billing_fen, "
        "reduced_later_fen, collected_fen"
    )
    stale_tally = session.execute(
        text(
            f"WITH due AS MATERIALIZED ({COLLECTION_TALLY}), "
            f"kept AS (SELECT {columns} FROM collection_tally), "
            "differ AS (SELECT * FROM (SELECT * FROM due EXCEPT SELECT * FROM kept) AS unkept "
            "UNION ALL SELECT * FROM (SELECT * FROM kept EXCEPT SELECT * FROM due) AS stray) "
            "SELECT DISTINCT building.name, f.name, differ.period FROM differ "
            "JOIN building ON building.id = differ.building_id "
            "JOIN fee_item f ON f.id = differ.fee_item_id "
            "ORDER BY differ.period, building.name, f.name"
        )
    )
    problems += [
        f"收缴汇总 {period} {building} {item}：与账单、收款、减免记录不符"
        for building, item, period in stale_tally
    ]
    return problems


def _bills_paid_before_they_existed(session: Session, names: _Names) -> list[str]:
    """A payment can only settle bills that existed when it was posted: a bill created
    later means the record was made up or edited afterwards. (A 预交 creates its bills
    inside the posting, before the payment row; versions before issue 17 wrote them just
    after it, by the same cashier and without a billing run: that is no problem.)"""
    rows = session.execute(
        text(
            "SELECT a.payment_id, p.room_id, p.posted_at, p.cashier_name, b.period, f.name, "
            "b.description, b.created_at, b.created_by, b.run_id FROM allocation a "
            "JOIN payment p ON p.id = a.payment_id "
            "JOIN bill b ON b.id = a.bill_id "
            "JOIN fee_item f ON f.id = b.fee_item_id "
            "WHERE a.void_id IS NULL AND b.created_at > p.posted_at "
            "ORDER BY a.payment_id, b.id"
        )
    )
    problems = []
    for row in rows:
        payment_id, room_id, posted_at, cashier, period, item, description = row[:7]
        created_at, created_by, run_id = row[7:]
        posted, created = _moment(posted_at), _moment(created_at)
        same_posting = run_id is None and created_by == cashier and created - posted < _SAME_POSTING
        if not same_posting:
            problems.append(
                f"{names.payment(payment_id)}（{names.room(room_id)}，收款时间 {_local(posted)}）"
                f"收取了 {_bill_title(period, item, description)}，"
                f"而该账单 {_local(created)} 才生成"
            )
    return problems


_SAME_POSTING = timedelta(seconds=5)


def _moment(stored: object) -> datetime:
    """A stored UTC moment (text on SQLite) as an aware datetime."""
    moment = datetime.fromisoformat(stored) if isinstance(stored, str) else stored
    assert isinstance(moment, datetime)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _local(moment: datetime) -> str:
    return f"{moment.astimezone():%Y-%m-%d %H:%M}"


def _held_balances(session: Session, names: _Names) -> list[str]:
    problems = [
        f"{names.room(room_id)} 预存余额为负：{_yuan(balance)}"
        for room_id, balance in session.execute(
            text(
                "SELECT room_id, sum(amount_fen) AS balance FROM prepaid_entry "
                "GROUP BY room_id HAVING sum(amount_fen) < 0 ORDER BY room_id"
            )
        )
    ]
    problems += [
        f"{names.room(room_id)} {_bill_title(period, item, description)}："
        f"退还 {_yuan(refunded)}，超过所收押金 {_yuan(paid)}"
        for room_id, period, item, description, paid, refunded in session.execute(
            text(
                "SELECT b.room_id, b.period, f.name, b.description, "
                "(SELECT coalesce(sum(amount_fen), 0) FROM allocation a WHERE a.bill_id = b.id), "
                "x.refunded FROM bill b JOIN fee_item f ON f.id = b.fee_item_id "
                "JOIN (SELECT bill_id, sum(gross_fen) AS refunded FROM refund "
                "      WHERE bill_id IS NOT NULL GROUP BY bill_id) x ON x.bill_id = b.id "
                "ORDER BY b.id"
            )
        )
        if refunded > paid
    ]
    problems += [
        f"{names.room(room_id)} 原系统{kind}（数据导入）：退还 {_yuan(refunded)}，"
        f"超过所持押金 {_yuan(held)}"
        for room_id, kind, held, refunded in session.execute(
            text(
                "SELECT d.room_id, d.kind, d.amount_fen, sum(f.gross_fen) FROM opening_deposit d "
                "JOIN refund f ON f.opening_deposit_id = d.id "
                "GROUP BY d.id, d.room_id, d.kind, d.amount_fen ORDER BY d.id"
            )
        )
        if refunded > held
    ]
    return problems


def _refund_sums(session: Session, names: _Names) -> list[str]:
    receipts = {
        refund_id: receipt_no(series, number)
        for refund_id, series, number in session.execute(
            text("SELECT refund_id, series, number FROM receipt WHERE refund_id IS NOT NULL")
        )
    }
    rows = session.execute(
        text(
            "SELECT f.id, f.room_id, f.kind, f.gross_fen, f.deductions_fen, f.amount_fen, "
            "(SELECT coalesce(sum(amount_fen), 0) FROM refund_deduction d "
            " WHERE d.refund_id = f.id), "
            "(SELECT coalesce(sum(amount_fen), 0) FROM prepaid_entry e "
            " WHERE e.refund_id = f.id) FROM refund f ORDER BY f.id"
        )
    )
    problems = []
    for refund_id, room_id, kind, gross, deductions, amount, itemised, drawn in rows:
        what = f"退款凭证 {receipts.get(refund_id, f'#{refund_id}')}（{names.room(room_id)}）"
        if amount != gross - deductions or deductions != itemised:
            problems.append(
                f"{what}退款 {_yuan(amount)} 不等于应退 {_yuan(gross)} 减扣款 "
                f"{_yuan(deductions)}（扣款明细合计 {_yuan(itemised)}）"
            )
        if kind == "prepaid" and drawn != -gross:
            problems.append(f"{what}退预存 {_yuan(gross)}，预存账却记减 {_yuan(-drawn)}")
    return problems


_CHECKS: list[tuple[_MoneyCheck, str]] = [
    (_receipt_numbers, "收据和退款凭证号连续、无缺号、无重号"),
    (_receipt_links, "每张收据对应一笔收款或退款，每笔收款和退款都有收据"),
    (_payment_sums, "每笔收款的收款方式合计、分配到账单和预存的金额与收款金额一致"),
    (_void_reversals, "每张作废收据的冲销与原收款一一对应，没有重复冲销"),
    (_bill_balances, "没有账单被多收：已收加减免不超过应收"),
    (_kept_totals, "账单余额表和收缴汇总表与账单、收款、减免记录一致"),
    (_bills_paid_before_they_existed, "每笔收款只收取收款时已经生成的账单"),
    (_held_balances, "各户预存余额和押金余额均不为负"),
    (_refund_sums, "每笔退款的金额等于应退减扣款"),
]
