"""The rows of the `setting` table by what the office calls them (the audit log names a
setting by these words; tests/unit/test_audit_text.py checks every key has one)."""

from __future__ import annotations

SETTING_NAMES = {
    "idle_lock_minutes": "无操作自动锁定时间",
    "server_backup_pc": "负责自动备份的电脑",
    "receipt_paper": "收据纸张",
    "receipt_copies": "收据联次",
    "receipt_carbonless": "多联无碳复写纸",
    "handbook_sections": "业主手册章节",
    "handbook_values": "业主手册信息",
    "renovation_guide_sections": "装修指南章节",
    "renovation_max_days": "装修最长工期",
    "renovation_working_hours": "允许施工时间",
    "movein_fee_months": "入伙预交物业费月数",
    "late_fee_terms": "滞纳金规则",
    "payment_details": "缴费方式和收款账户",
    "visitor_require_id": "访客须登记证件",
    "visitor_retention_days": "访客信息保存期限",
    "visitor_pass_paper": "访客单纸张",
    "visitor_purge_fold_pending": "访客信息清除未完成",
    "repair_terms": "有偿维修收费项目",
    "parcel_settings": "快递代收设置",
    **{f"reminder_wording_{level}": f"第 {level} 级催缴措辞" for level in (1, 2, 3)},
}

# The fields of the settings kept as one JSON object (db/settings.py), by name.
SETTING_FIELDS = {
    # 缴费方式和收款账户 (services/arrears/reminders.PaymentDetails)
    "counter_hours": "收费处办公时间",
    "account_name": "收款账户户名",
    "bank": "收款账户开户行",
    "account_number": "收款账号",
    # 业主手册信息 (services/movein/handbook.HandbookValues)
    "service_hours": "服务时间",
    "duty_phone": "24 小时值班电话",
    "edition": "版本",
    "gas_phone": "燃气抢修电话",
    "water_phone": "供水抢修电话",
    "lift_phone": "电梯困人救援电话",
    # 滞纳金规则 (domain/arrears.LateFeeTerms)
    "enabled": "启用",
    "per_day_per_10000": "每日滞纳金（万分之）",
    "grace_days": "宽限天数",
    "cap_percent": "上限（占欠费本金的百分比）",
    # 催缴措辞 (domain/reminders.ReminderWording)
    "title": "标题",
    "body": "正文",
    "closing": "结尾",
    # 业主手册章节, 装修指南章节 (services/movein/handbook)
    "overrides": "修改过的章节",
    "custom": "新增的章节",
    # 有偿维修收费项目 (services/service_desk/repairs.RepairTerms)
    "fee_item_id": "收费项目",
    # 快递代收设置 (services/parcels/settings.ParcelSettings)
    "couriers": "快递公司",
    "overdue_days": "超期未取天数",
    "retention_days": "收取件人信息保存天数",
}
