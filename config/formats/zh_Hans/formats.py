"""Django's Simplified Chinese formats, keeping the thousands separator that Chinese pages use
for figures ("1,650", as the ministry's and universities' own pages write them)."""
from django.conf.locale.zh_Hans.formats import *  # noqa: F401,F403

THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
