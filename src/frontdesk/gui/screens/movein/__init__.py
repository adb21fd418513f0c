"""入伙: handover batches, the move-in checklist, inspection defects, the owner handbook."""
