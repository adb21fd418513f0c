"""Which PC takes a server database's automatic backups (issue 23).

A database file is backed up by the PC it lives on. A server database is opened by
every counter, and each would otherwise dump it every morning and at closing into
its own data folder: several copies, scattered, none where IT looks. So one PC is
named in the database (setting `server_backup_pc`): the first PC that comes to take
an automatic backup names itself, in one write (a second PC at the same moment waits
for the first's write and then finds it named); a supervisor can hand the duty to
the PC they are sitting at (设置 › 备份与恢复), which must have pg_dump and the disk
for it. Every PC shows when the database was last backed up, by whichever PC, from
the audit log, where each verified backup is recorded (backup_folder.last_good_backup).
"""

from __future__ import annotations

import platform
from dataclasses import dataclass

from frontdesk.db.models import Setting
from frontdesk.domain.roles import SYSTEM, Actor, Permission
from frontdesk.services.database import Database
from frontdesk.services.protection import backups
from frontdesk.services.protection.backups import BackupResult
from frontdesk.services.store import reading, writing

SETTING_KEY = "server_backup_pc"


def this_pc() -> str:
    """This computer's network name, as the other counters will see it."""
    return platform.node().strip() or "本机"


@dataclass(frozen=True)
class BackupDuty:
    pc: str | None  # the PC that takes the automatic backups; None: none named yet
    on_server: bool

    @property
    def here(self) -> bool:
        """This PC takes them (a file's PC always does)."""
        return not self.on_server or self.pc == this_pc()

    def shown(self) -> str:
        if not self.on_server:
            return "本机（数据库文件所在的电脑）"
        if self.pc is None:
            return "尚未指定：第一台自动备份的电脑负责"
        return f"{self.pc}（本机）" if self.here else self.pc


def backup_duty(db: Database) -> BackupDuty:
    if not db.on_server:
        return BackupDuty(this_pc(), on_server=False)
    with reading(db) as session:
        setting = session.get(Setting, SETTING_KEY)
        return BackupDuty(setting.value if setting else None, on_server=True)


def take_backup_duty(db: Database, actor: Actor) -> BackupDuty:
    """Name this PC as the one that backs up the server database (audited)."""
    with writing(db, actor, Permission.MANAGE_BACKUPS) as session:
        setting = session.get(Setting, SETTING_KEY)
        if setting is None:
            session.add(Setting(key=SETTING_KEY, value=this_pc()))
        else:
            setting.value = this_pc()
    return backup_duty(db)


def _claimed(db: Database) -> BackupDuty:
    """The named PC, naming this one when none is named yet."""
    duty = backup_duty(db)
    if duty.pc is not None or not duty.on_server:
        return duty
    with db.write(SYSTEM) as session:
        if session.get(Setting, SETTING_KEY) is None:
            session.add(Setting(key=SETTING_KEY, value=this_pc()))
    return backup_duty(db)


def automatic_backup(db: Database, kind: str) -> BackupResult | None:
    """The daily or closing backup, taken if this PC takes this database's automatic
    backups; None where another PC does."""
    if not _claimed(db).here:
        return None
    return backups.make_backup(db, SYSTEM, kind)
