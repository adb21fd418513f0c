"""Pure rules: money, areas, roles, room codes. Imports nothing of ours."""
