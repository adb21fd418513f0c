"""通知: lobby notices and letters to households from the office's templates, the
archive of notices issued, the templates themselves and the register of documents."""
