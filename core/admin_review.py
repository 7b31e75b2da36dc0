"""Review before publishing in the admin: roles, the reason on every save, proposed changes, version conflicts.

Every save of a record's form (its fields and inlines) runs inside one context, opened in ``save_model``
and closed once the inlines are saved (``response_add``/``response_change``), or on any error:
``core.history.recorded_change`` for a direct save (one history entry, with the form's reason), or
``core.review.proposal`` when an editor changes what the public sees (nothing public changes; the
change waits as a PendingChange). Before anything is saved, the form's version is checked against
the locked record (core.admin_review_conflicts).
"""
from contextlib import ExitStack

from django.contrib import messages
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _, ngettext

from . import admin_review_conflicts as conflicts, history, review
from .admin_review_forms import FORM_ONLY_FIELDS, REASON_FIELD, VERSION_FIELD, record_form
from .models import PendingChange, Publishable


def pending_changes_url(content_type=None) -> str:
    url = reverse("admin:core_pendingchange_changelist")
    return f"{url}?kind={content_type.pk}" if content_type is not None else url


class ReviewAdminMixin:
    """For a RecordAdmin: who may do what, and how a save of the change form is kept (see the module)."""

    change_form_template = "admin/registry_change_form.html"
    change_list_template = "admin/registry_change_list.html"

    # Roles ------------------------------------------------------------------------------------------

    def has_publish_permission(self, request) -> bool:
        return review.can_publish(request.user)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        # An editor's new record is a draft, and their changes never publish or unpublish.
        if issubclass(self.model, Publishable) and not self.has_publish_permission(request):
            fields += [] if "publication_state" in fields else ["publication_state"]
        return fields

    # The form: the model's fields, a reason and the version it was opened on --------------------------

    def get_form(self, request, obj=None, change=False, **kwargs):
        fields = kwargs.pop("fields") if "fields" in kwargs else flatten_fieldsets(self.get_fieldsets(request, obj))
        if fields is not None:  # the model form knows only the model's fields; record_form adds the others
            fields = [name for name in fields if name not in FORM_ONLY_FIELDS]
        return record_form(super().get_form(request, obj, change=change, fields=fields, **kwargs))

    def get_fields(self, request, obj=None):
        return [name for name in super().get_fields(request, obj) if name not in FORM_ONLY_FIELDS]

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        can_save = self.has_change_permission(request, obj) if obj is not None else self.has_add_permission(request)
        if can_save:
            fieldsets.append((_("About this change"), {"fields": [REASON_FIELD, VERSION_FIELD]}))
        return fieldsets

    # Saving -----------------------------------------------------------------------------------------

    def _changeform_view(self, request, object_id, form_url, extra_context):
        # Runs inside the admin's transaction when the form is posted.
        if request.method != "POST":
            return super()._changeform_view(request, object_id, form_url, extra_context)
        with ExitStack() as stack:
            request.registry_save = stack
            try:
                refused = self._refuse_stale_save(request, object_id)
                return refused or super()._changeform_view(request, object_id, form_url, extra_context)
            finally:
                del request.registry_save

    def save_model(self, request, obj, form, change):
        stack = getattr(request, "registry_save", None)
        if stack is not None:
            reason = form.cleaned_data.get(REASON_FIELD, "").strip()
            current = type(obj)._default_manager.get(pk=obj.pk) if change else None
            if current is not None and review.needs_review(current, request.user):
                outcome = stack.enter_context(review.proposal(current, author=request.user, reason=reason))
                request.registry_proposal = (outcome, current)
            else:
                stack.enter_context(history.recorded_change(
                    obj, user=request.user, reason=reason, history_type="~" if change else "+"))
        super().save_model(request, obj, form, change)

    def _finish_save(self, request) -> None:
        """Close the save's context now that the record and its inlines are saved."""
        stack = getattr(request, "registry_save", None)
        if stack is not None:
            stack.close()

    def response_add(self, request, obj, post_url_continue=None):
        self._finish_save(request)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        self._finish_save(request)
        proposed = getattr(request, "registry_proposal", None)
        if proposed is None:
            return super().response_change(request, obj)
        outcome, current = proposed
        if outcome.change is None:
            self.message_user(request, _("Nothing changed in “%(record)s”.") % {"record": current}, messages.INFO)
        else:
            self.message_user(request, format_html(
                _("Your change to “{record}” waits for review by a publisher; the public still sees the published "
                  "version. <a href=\"{url}\">See the proposed change</a>."),
                record=str(current), url=outcome.change.get_absolute_url()), messages.SUCCESS)
        if "_continue" in request.POST:
            return HttpResponseRedirect(request.path)
        if "_addanother" in request.POST:
            opts = self.model._meta
            return HttpResponseRedirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
        return self.response_post_save_change(request, current)

    # Version conflicts ------------------------------------------------------------------------------

    def _refuse_stale_save(self, request, object_id):
        """A redirect back to the form when its record was saved after the form was opened; else None."""
        submitted = request.POST.get(VERSION_FIELD, "").strip()
        if object_id is None or "_saveasnew" in request.POST or not submitted:
            return None  # a new record, or a client that does not send the version (no check possible)
        try:
            pk = self.model._meta.pk.to_python(unquote(object_id))
        except ValidationError:
            return None
        record = self.model._default_manager.select_for_update().filter(pk=pk).first()
        if record is None or not self.has_change_permission(request, record):
            return None  # the admin's own answers: "does not exist", "permission denied"
        if submitted.isdigit() and int(submitted) == record.version:
            return None
        base_version = int(submitted) if submitted.isdigit() else record.version
        conflicts.keep(request, record, conflicts.describe(self, request, record, base_version))
        self.message_user(request, _(
            "Nothing was saved: “%(record)s” was saved by someone else after you opened it. Their change and "
            "yours are shown below; the form now holds the record as it is, so you can make your change again."
        ) % {"record": record}, messages.ERROR)
        return HttpResponseRedirect(request.get_full_path())

    # What the pages show ----------------------------------------------------------------------------

    def _next_template(self, attribute: str, default: str) -> str:
        """The template the next class in line would use: this mixin's templates extend it."""
        mro = type(self).__mro__
        for klass in mro[mro.index(ReviewAdminMixin) + 1:]:
            if klass.__dict__.get(attribute):
                return klass.__dict__[attribute]
        return default

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["registry_base_template"] = self._next_template("change_form_template", "admin/change_form.html")
        if obj is not None and obj.pk is not None:
            waiting = PendingChange.objects.pending().for_record(obj).visible_to(request.user).select_related("author")
            context["waiting_changes"] = list(waiting)
            context["version_conflict"] = conflicts.take(request, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def changelist_view(self, request, extra_context=None):
        context = {"registry_base_template": self._next_template("change_list_template", "admin/change_list.html")}
        if request.user.has_perm("core.view_pendingchange"):
            content_type = ContentType.objects.get_for_model(self.model)
            count = PendingChange.objects.pending().filter(content_type=content_type) \
                .visible_to(request.user).count()
            if count:
                context["waiting_link"] = {
                    "url": pending_changes_url(content_type),
                    "text": ngettext("%(count)d change waits for review", "%(count)d changes wait for review",
                                     count) % {"count": count},
                }
        return super().changelist_view(request, {**context, **(extra_context or {})})
