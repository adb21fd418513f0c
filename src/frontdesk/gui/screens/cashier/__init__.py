"""收费: the cashier's screens."""
