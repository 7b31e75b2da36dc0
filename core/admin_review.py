"""Review before publishing in the admin: roles, proposed changes, version conflicts."""


class ReviewAdminMixin:
    """Placeholder: filled in by the review work (issue 8)."""
