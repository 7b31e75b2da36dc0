"""The partnerships' kinds of record in the registry's file format (see core.fileformat)."""
from catalog.formats import Disciplines, chinese_names, countries, institution, institutions, sources
from core.fileformat import Kind
from core.fileformat.columns import (
    Choice,
    FullDate,
    Integer,
    Number,
    PageAddress,
    PreciseDate,
    Reference,
    References,
    Subject,
    Text,
    Url,
)
from core.fileformat.kinds import RowRule

from .approval import link_problems
from .choices import MemberRole
from .models import SUBJECT_FIELDS, Activity, Agreement, Figure, JointInstitute, Program, discipline_problems


def approval() -> list:
    """The columns of a Ministry of Education approval (see models.Approval)."""
    return [
        Text("approving_authority"),
        Text("approval_number"),
        Choice("approval_status"),
        PreciseDate("approval_date"),
        FullDate("valid_from"),
        FullDate("valid_until"),
    ]


def _approval_matches(*links: str) -> RowRule:
    """A row rule: the approval number's country is a partner's, and its province a host's (``links``
    names the link columns the kind has: partners, hosts)."""
    def problems(row: dict) -> dict[str, str]:
        found = link_problems(row["approval_number"] or "", **{link: row[link] for link in links})
        return {"approval_number": " ".join(found)} if found else {}
    return RowRule(("approval_number", *links), problems)


JOINT_INSTITUTES = Kind("joint_institutes", JointInstitute, [
    Text("slug"),
    Text("name", required=True),
    Text("native_name"),
    Text("abbreviation"),
    institutions("hosts", field="members", through_values={"role": MemberRole.HOST}),
    institutions("partners", field="members", through_values={"role": MemberRole.PARTNER}),
    Text("city"),
    PreciseDate("launched_on"),
    Text("launch_note"),
    *approval(),
    Choice("degree_model"),
    Text("dean"),
    Integer("enrollment_target"),
    Text("enrollment_target_note"),
    Url("website"),
    Text("description", lines=True),
    sources(required=True),
], key=("name",), rules=(_approval_matches("partners", "hosts"),), derived=[
    countries("partner_countries", of="partners", field="members", through_values={"role": MemberRole.PARTNER}),
    chinese_names("hosts_chinese_names", of="hosts", field="members", through_values={"role": MemberRole.HOST}),
    chinese_names("partners_chinese_names", of="partners", field="members",
                  through_values={"role": MemberRole.PARTNER}),
    PageAddress(),
], description="China–foreign cooperative education institutions (中外合作办学机构).")


def _program_slug(values: dict) -> str:
    host = values["host"]
    return f"{host.abbreviation or host.name} {values['name']} {values.get('level', '')}"


def _disciplines_suit_level(row: dict) -> dict[str, str]:
    problems = discipline_problems(row["level"] or "", row["disciplines"])
    return {"disciplines": " ".join(problems)} if problems else {}


PROGRAMS = Kind("programs", Program, [
    Text("slug"),
    Text("name", required=True),
    Text("native_name"),
    Choice("level"),
    Disciplines(),
    institution("host", required=True),
    institutions("partners"),
    Reference("joint_institute", hint="define it in a joint_institutes file imported in the same run"),
    Text("city"),
    Choice("degree_model"),
    Number("duration_years"),
    Integer("annual_intake"),
    Integer("tuition_cny_per_year"),
    Text("language"),
    *approval(),
    Integer("enrollment_start_year"),
    Integer("enrollment_end_year"),
    Text("description", lines=True),
    sources(required=True),
], key=("host", "name", "level"), slug_from=_program_slug, derived=[
    countries("partner_countries", of="partners", field="partners"),
    chinese_names("host_chinese_name", of="host", field="host"),
    chinese_names("partners_chinese_names", of="partners", field="partners"),
    PageAddress(),
],
    rules=(RowRule(("level", "disciplines"), _disciplines_suit_level), _approval_matches("partners")),
    description="China–foreign cooperative programs (中外合作办学项目) and the programs of joint institutes.")

AGREEMENTS = Kind("agreements", Agreement, [
    Text("slug"),
    Text("title", required=True),
    Choice("kind", required=True),
    institutions("parties"),
    PreciseDate("signed_on"),
    Text("scope", lines=True),
    Choice("status", required=True),
    sources(required=True),
], key=("title",), derived=[countries("party_countries", of="parties", field="parties"), PageAddress()],
    description="Memoranda of understanding and exchange, research or degree agreements.")

ACTIVITIES = Kind("activities", Activity, [
    Text("slug"),
    Text("title", required=True),
    Choice("kind", required=True),
    institution("organizer", required=True),
    institutions("hosts"),
    FullDate("start_date"),
    FullDate("end_date"),
    Text("leader"),
    Text("participants", lines=True),
    Text("purpose", lines=True),
    Text("outcome", lines=True),
    References("agreements", label=("title",), hint="define it in an agreements file imported in the same run"),
    sources(required=True),
], key=("title",), description="Delegation visits, exchanges, conferences and launches.")

FIGURES = Kind("figures", Figure, [
    Subject(fields=SUBJECT_FIELDS, named=("institution", "joint_institute", "region")),
    Choice("metric", required=True),
    Number("value", required=True),
    Choice("unit", empty_is_default=True),
    Choice("qualifier", empty_is_default=True),
    Integer("period_start"),
    Integer("period_end"),
    Text("note"),
    sources(field="source", single=True, required=True),
], key=("subject", "metric", "period_start", "period_end", "source_title"), order_by=("pk",),
    description="Numbers about one subject each (enrollment targets, admissions, graduates...), as a source states them.")

KINDS = [JOINT_INSTITUTES, PROGRAMS, AGREEMENTS, ACTIVITIES, FIGURES]
