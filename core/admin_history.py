"""History in the admin: every change with who, when, why and what (relations included), revert, restore."""


class HistoryAdminMixin:
    """Placeholder: filled in by the history work (issue 8)."""
