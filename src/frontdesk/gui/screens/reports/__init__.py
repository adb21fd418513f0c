"""报表: the room statistics and the butlers' work (管家责任制)."""
