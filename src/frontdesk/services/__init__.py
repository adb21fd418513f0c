"""Use-cases, one package per area (fees, arrears, households, visitors, renovation,
movein, notices, personal, protection), each naming its use-cases in `__init__`, and a
few loose modules every area uses (access, scope, store, steps, database, users, xlsx).
A use-case checks permissions (and the building scope) and input, writes in one
transaction (audited), and returns plain frozen dataclasses — never ORM objects."""
