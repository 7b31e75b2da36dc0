"""The registry at a glance (home page): counts computed from published records, and how
complete the registry is compared with the totals that sources report for a region."""
from dataclasses import dataclass, field
from itertools import chain

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django_countries import countries

from catalog.models import Discipline, Institution, Region

from .choices import Metric, ProgramLevel
from .models import Agreement, Figure, JointInstitute, Program

# Metrics a source uses for a region's totals of cooperative institutions and programs.
REGION_TOTAL_METRICS = (Metric.COOPERATIVE_TOTAL, Metric.JOINT_INSTITUTES, Metric.JOINT_PROGRAMS)


def registry_counts(program_countries: dict[str, int]) -> dict[str, int]:
    """Counts of published records; ``program_countries`` is Program's partner_country_counts()."""
    programs = Program.objects.published()
    partner_countries = (
        set(program_countries)
        | set(JointInstitute.objects.published().partner_country_counts())
        | set(Agreement.objects.published().partner_country_counts())
    )
    return {
        "institutes": JointInstitute.objects.published().count(),
        "programs": programs.count(),
        "agreements": Agreement.objects.published().count(),
        "institutions": Institution.objects.published().count(),
        "partner_countries": len(partner_countries),
        "disciplines": Discipline.objects.used_by_programs(programs).count(),
    }


@dataclass
class Share:
    part: int
    whole: int

    @property
    def percent(self) -> float:
        return round(100 * self.part / self.whole, 1) if self.whole else 0.0


def stem_share(programs_total: int) -> Share:
    """Of the ``programs_total`` published programs, those in science, technology, engineering,
    agriculture or medicine disciplines."""
    return Share(Program.objects.published().stem().count(), programs_total)


def _program_list_url(**params) -> str:
    return f"{reverse('partnerships:program_list')}?{urlencode(params)}"


def programs_by_partner_country(counts: dict[str, int]) -> list[tuple[str, int, str]]:
    """Rows (country name, programs, link) from partner_country_counts(), most programs first."""
    rows = [(countries.name(code), count, _program_list_url(country=code)) for code, count in counts.items()]
    return sorted(rows, key=lambda row: (-row[1], row[0]))


def programs_by_level() -> list[tuple[str, int, str]]:
    counts = Program.objects.published().value_counts("level")
    rows = [
        (label, counts[value], _program_list_url(level=value))
        for value, label in ProgramLevel.choices
        if counts.get(value)
    ]
    if counts.get(""):  # sources that do not say the level; no filter selects these
        rows.append((_("Level not stated"), counts[""], ""))
    return rows


def latest_approvals(limit: int = 6) -> list:
    """The most recently approved joint institutes and programs, newest first."""
    institutes = JointInstitute.objects.published().latest_approvals()[:limit]
    programs = Program.objects.published().latest_approvals().select_related("host")[:limit]
    newest_first = sorted(chain(institutes, programs), key=lambda record: record.approval_date, reverse=True)
    return newest_first[:limit]


@dataclass
class RegionCompleteness:
    """A region's totals as a source reports them, beside what the registry holds."""

    region: Region
    reported: dict[str, Figure] = field(default_factory=dict)  # metric -> latest figure
    held_institutes: int = 0
    held_programs: int = 0

    @property
    def held_total(self) -> int:
        return self.held_institutes + self.held_programs

    def figure(self, metric):
        return self.reported.get(metric)

    @property
    def total(self):
        return self.figure(Metric.COOPERATIVE_TOTAL)

    @property
    def institutes(self):
        return self.figure(Metric.JOINT_INSTITUTES)

    @property
    def programs(self):
        return self.figure(Metric.JOINT_PROGRAMS)


def region_completeness(region: Region | None = None) -> list[RegionCompleteness]:
    """For each published region whose totals a source reports: the latest totals and the registry's counts.

    Programs run inside a joint institute belong to that institute, so they are not counted as
    programs in their own right (a region's 'programs' are separately approved 中外合作办学项目).
    """
    figures = (
        Figure.objects.public().about_regions().filter(metric__in=REGION_TOTAL_METRICS)
        .select_related("region", "source").order_by("region__name", "metric", "period_end", "period_start")
    )
    if region is not None:
        figures = figures.filter(region=region)
    regions: dict[int, RegionCompleteness] = {}
    for figure in figures:  # chronological, so the latest period wins
        entry = regions.setdefault(figure.region_id, RegionCompleteness(figure.region))
        entry.reported[figure.metric] = figure
    for entry in regions.values():
        city = [entry.region.name]
        entry.held_institutes = JointInstitute.objects.published().in_cities(city).count()
        entry.held_programs = Program.objects.published().outside_joint_institutes().in_cities(city).count()
    return list(regions.values())
