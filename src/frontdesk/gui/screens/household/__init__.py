"""The household file (一户一档): the file view, its lists and add/edit dialogs."""

from frontdesk.gui.screens.household.file_view import FileTab, HouseholdFileView

__all__ = ["FileTab", "HouseholdFileView"]
