"""设置: the screen and its tabs — community, users, audit log, personal data, system, backups."""
