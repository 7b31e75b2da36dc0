"""Messages of Django and third-party apps that have no Simplified Chinese translation of their own
(Django 5.2's admin table headers, django-axes): marked here so makemessages keeps them in
locale/zh_Hans, whose translations take precedence over the apps' catalogues. Nothing imports this."""
from django.utils.translation import gettext_noop

MESSAGES = [
    # django.contrib.admin (app_list.html), visually hidden table headers
    gettext_noop("Model name"), gettext_noop("Add link"), gettext_noop("Change or view list link"),
    # django-axes: its admin (login lockouts)
    gettext_noop("access attempt"), gettext_noop("access attempts"),
    gettext_noop("access failure"), gettext_noop("access failures"), gettext_noop("access log"),
    gettext_noop("access logs"), gettext_noop("access attempt expiration"),
    gettext_noop("access attempt expirations"), gettext_noop("Access Attempt"), gettext_noop("Access lock out"),
    gettext_noop("Attempt Remaining"), gettext_noop("Attempt Time"), gettext_noop("Clean up expired attempts"),
    gettext_noop("Expires At"), gettext_noop("Failed Logins"), gettext_noop("Form Data"), gettext_noop("GET Data"),
    gettext_noop("HTTP Accept"), gettext_noop("IP Address"), gettext_noop("Locked Out"), gettext_noop("Logout Time"),
    gettext_noop("Meta Data"), gettext_noop("Not set"), gettext_noop("POST Data"), gettext_noop("Path"),
    gettext_noop("Session key hash (sha256)"),
    gettext_noop("The time when access attempt expires and is no longer valid."), gettext_noop("User Agent"),
    gettext_noop("Username"),
]
