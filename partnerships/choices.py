from django.db import models
from django.utils.translation import gettext_lazy as _


class ApprovalStatus(models.TextChoices):
    APPROVED = "approved", _("Approved")
    ENROLLING = "enrolling", _("Enrolling")
    STOPPED_ENROLLING = "stopped_enrolling", _("Stopped enrolling")
    CLOSED = "closed", _("Closed")
    TERMINATED = "terminated", _("Terminated")


# Statuses under which a record holds its approval (the ``status=approved`` filter finds all three),
# and those under which it no longer does.
APPROVAL_HELD = (ApprovalStatus.APPROVED, ApprovalStatus.ENROLLING, ApprovalStatus.STOPPED_ENROLLING)
APPROVAL_ENDED = (ApprovalStatus.CLOSED, ApprovalStatus.TERMINATED)


class DegreeModel(models.TextChoices):
    DUAL = "dual", _("Dual degree (one from each institution)")
    JOINT = "joint", _("Joint degree (one degree, both institutions)")
    SINGLE = "single", _("Single degree")
    CERTIFICATE = "certificate", _("Certificate")


class ProgramLevel(models.TextChoices):
    VOCATIONAL = "vocational", _("Vocational diploma")
    BACHELOR = "bachelor", _("Bachelor")
    GRADUATE = "graduate", _("Graduate (master's or doctoral not stated)")
    MASTER = "master", _("Master")
    DOCTORATE = "doctorate", _("Doctorate")


class MemberRole(models.TextChoices):
    HOST = "host", _("Chinese host")
    PARTNER = "partner", _("Foreign partner")


class AgreementKind(models.TextChoices):
    MOU = "mou", _("Memorandum of understanding")
    EXCHANGE = "exchange", _("Student or staff exchange")
    JOINT_RESEARCH = "joint_research", _("Joint research")
    DUAL_DEGREE = "dual_degree", _("Dual or joint degree")
    OTHER = "other", _("Other")


class AgreementStatus(models.TextChoices):
    INTENDED = "intended", _("Intention agreed, not yet signed")
    SIGNED = "signed", _("Signed")
    EXPIRED = "expired", _("Expired")
    TERMINATED = "terminated", _("Terminated")


class ActivityKind(models.TextChoices):
    DELEGATION_VISIT = "delegation_visit", _("Delegation visit")
    EXCHANGE = "exchange", _("Exchange")
    CONFERENCE = "conference", _("Conference")
    LAUNCH = "launch", _("Launch ceremony")
    OTHER = "other", _("Other")


class Unit(models.TextChoices):
    COUNT = "count", _("count")
    PERCENT = "percent", _("percent")
    CNY = "cny", _("CNY")


class Qualifier(models.TextChoices):
    """How exactly the source states the number, kept as said."""

    EXACT = "exact", _("exactly")
    MORE_THAN = "more_than", _("more than")
    AT_LEAST = "at_least", _("at least")
    ABOUT = "about", _("about")
    NEARLY = "nearly", _("nearly")
    AT_MOST = "at_most", _("at most")
    LESS_THAN = "less_than", _("less than")


class Metric(models.TextChoices):
    DEGREES_AWARDED = "degrees_awarded", _("Degrees awarded")
    GRADUATE_STUDENTS = "graduate_students", _("Graduate students enrolled")
    DOCTORAL_SHARE = "doctoral_share", _("Share of doctoral students")
    DOCTORAL_DISCIPLINES = "doctoral_disciplines", _("Doctoral-level disciplines")
    MASTER_DISCIPLINES = "master_disciplines", _("Master-level disciplines")
    PROFESSIONAL_DEGREE_CATEGORIES = "professional_degree_categories", _("Professional degree categories")
    ENROLLMENT_TARGET = "enrollment_target", _("Enrollment target")
    STUDENTS_ADMITTED = "students_admitted", _("Students admitted")
    STUDENTS_EXCHANGED_PER_YEAR = "students_exchanged_per_year", _("Students exchanged per year")
    STUDENTS_FUNDED_OVERSEAS_VISITS = "students_funded_overseas_visits", _("Students funded for overseas visits")
    STUDENTS_VISITED_ABROAD = "students_visited_abroad", _("Students who have visited abroad")
    COUNTRIES_VISITED = "countries_visited", _("Countries and regions visited")
    CONFERENCE_FUNDING_APPLICANTS = "conference_funding_applicants", _("Students applying for conference funding")
    CONFERENCE_ATTENDEES = "conference_attendees", _("Students attending conferences abroad")
    COOPERATIVE_TOTAL = "cooperative_total", _("China–foreign cooperative institutions and programs")
    CHINA_RUSSIA_COOPERATIVE = "china_russia_cooperative", _("China–Russia cooperative institutions and programs")
    JOINT_INSTITUTES = "joint_institutes", _("China–foreign cooperative institutions")
    JOINT_PROGRAMS = "joint_programs", _("China–foreign cooperative programs")
    NEW_APPROVALS = "new_approvals", _("Newly approved institutions and programs")
    DISCIPLINES_COVERED = "disciplines_covered", _("Disciplines covered")
    STEM_SHARE = "stem_share", _("Share in science, technology, engineering, agriculture and medicine")
    TUITION = "tuition", _("Tuition per year")
