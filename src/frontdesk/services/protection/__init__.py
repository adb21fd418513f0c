"""Keeping the data safe: the audit log, backups and restore, `frontdesk check`, and the
key that encrypts ID numbers and phones.

The area's use-cases (functions taking the `Database`) with their inputs and rows, loaded
on first use; helpers taking a `Session` stay in their modules."""

from __future__ import annotations

from typing import TYPE_CHECKING

from frontdesk.services.lazy_exports import lazy_exports

if TYPE_CHECKING:
    from frontdesk.services.protection.audit import (
        AuditFilter,
        AuditRow,
        ChainCheck,
        ChainPosition,
        Head,
        Writer,
        chain_position,
        entry_ids,
        entry_rows,
        last_entry,
        read_head,
        room_history,
        sign_chain,
        verify_chain,
        writers,
    )
    from frontdesk.services.protection.backup_contents import Contents
    from frontdesk.services.protection.backup_folder import (
        BackupFile,
        BackupSettings,
        backup_due,
        backup_home,
        backup_settings,
        backups_of,
        database_path,
        last_good_backup,
        last_recorded_backup,
        set_second_folder,
    )
    from frontdesk.services.protection.backup_log import (
        AuditAnchor,
        audit_anchor,
        backup_file_anchors,
        last_restore,
    )
    from frontdesk.services.protection.backup_pc import (
        BackupDuty,
        automatic_backup,
        backup_duty,
        take_backup_duty,
        this_pc,
    )
    from frontdesk.services.protection.backups import BackupFailed, BackupResult, make_backup
    from frontdesk.services.protection.checks import (
        CheckReport,
        check_database,
    )
    from frontdesk.services.protection.data_key import (
        KeeperMode,
        KeyInfo,
        KeyState,
        copy_key,
        key_info,
        keyring_name,
        recover,
        recovery_code,
        set_passphrase,
        state,
        unlock,
    )
    from frontdesk.services.protection.money_audit import (
        money_audit_problems,
    )
    from frontdesk.services.protection.money_checks import (
        money_problems,
    )
    from frontdesk.services.protection.restore import (
        RestorePlan,
        RestoreRefused,
        RestoreResult,
        plan_restore,
    )
    from frontdesk.services.protection.server_restore import (
        ServerTarget,
        describe_target,
        restore_server,
    )

__all__ = [
    "AuditAnchor",
    "AuditFilter",
    "AuditRow",
    "BackupDuty",
    "BackupFailed",
    "BackupFile",
    "BackupResult",
    "BackupSettings",
    "ChainCheck",
    "ChainPosition",
    "CheckReport",
    "Contents",
    "Head",
    "KeeperMode",
    "KeyInfo",
    "KeyState",
    "RestorePlan",
    "RestoreRefused",
    "RestoreResult",
    "ServerTarget",
    "Writer",
    "audit_anchor",
    "automatic_backup",
    "backup_due",
    "backup_duty",
    "backup_file_anchors",
    "backup_home",
    "backup_settings",
    "backups_of",
    "chain_position",
    "check_database",
    "copy_key",
    "database_path",
    "describe_target",
    "entry_ids",
    "entry_rows",
    "key_info",
    "keyring_name",
    "last_entry",
    "last_good_backup",
    "last_recorded_backup",
    "last_restore",
    "make_backup",
    "money_audit_problems",
    "money_problems",
    "plan_restore",
    "read_head",
    "recover",
    "recovery_code",
    "restore_server",
    "room_history",
    "set_passphrase",
    "set_second_folder",
    "sign_chain",
    "state",
    "take_backup_duty",
    "this_pc",
    "unlock",
    "verify_chain",
    "writers",
]
__getattr__, __dir__ = lazy_exports(__name__, __path__, __all__)
