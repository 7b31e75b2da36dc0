"""TechEmpower's "Fortunes" test in plain Django: the yardstick the registry's pages are compared with.

One query of a 12-row table, one row added in Python, a sort, an escaped template.
"""
from operator import attrgetter

from django.shortcuts import render

from .models import Fortune

# TechEmpower's twelve rows; the script inserts them (one holds markup that must come out escaped).
MESSAGES = [
    "fortune: No such file or directory",
    "A computer scientist is someone who fixes things that aren't broken.",
    "After enough decimal places, nobody gives a damn.",
    "A bad random number generator: 1, 1, 1, 1, 1, 4.33e+67, 1, 1, 1",
    "A computer program does what you tell it to do, not what you want it to do.",
    "Emacs is a nice operating system, but I prefer UNIX. — Tom Christaensen",
    "Any program that runs right is obsolete.",
    "A list is only as strong as its weakest link. — Donald Knuth",
    "Feature: A bug with seniority.",
    "Computers make very fast, very accurate mistakes.",
    '<script>alert("This should not be displayed in a browser alert box.");</script>',
    "フレームワークのベンチマーク",
]


def fortunes(request):
    rows = list(Fortune.objects.all())
    rows.append(Fortune(id=0, message="Additional fortune added at request time."))
    rows.sort(key=attrgetter("message"))
    return render(request, "bench/fortunes.html", {"fortunes": rows})
