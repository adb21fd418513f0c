"""Use-cases, one module per area. Each checks permissions and input, writes in one
transaction (audited), and returns plain frozen dataclasses — never ORM objects."""
