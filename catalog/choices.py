from django.db import models
from django.utils.translation import gettext_lazy as _


class InstitutionKind(models.TextChoices):
    UNIVERSITY = "university", _("University")
    SCHOOL = "school", _("School or college of a university")
    RESEARCH_INSTITUTE = "research_institute", _("Research institute")
    CONSERVATORY = "conservatory", _("Conservatory")
    VOCATIONAL_COLLEGE = "vocational_college", _("Vocational college")
    APPLIED_SCIENCES = "applied_sciences", _("University of applied sciences")
    COLLEGE = "college", _("College")
    OTHER = "other", _("Other")


class NameKind(models.TextChoices):
    """What another name of an institution is."""

    ALIAS = "alias", _("Other name or translation")
    FORMER = "former", _("Former name")


class DisciplineCatalogue(models.TextChoices):
    CN_GRAD = "cn-grad", _("China graduate catalogue (2022)")
    CN_UG = "cn-ug", _("China undergraduate catalogue")
    CN_VOC = "cn-voc", _("China higher vocational catalogue (2021)")
    ISCED = "isced", _("ISCED-F 2013")


class DisciplineRank(models.TextChoices):
    CATEGORY = "category", _("Category")
    CLASS = "class", _("Discipline class")
    FIRST_LEVEL = "first_level", _("First-level discipline")
    PROFESSIONAL = "professional", _("Professional degree category")
    MAJOR = "major", _("Major")
    BROAD = "broad", _("Broad field")
    NARROW = "narrow", _("Narrow field")
    DETAILED = "detailed", _("Detailed field")


class RegionKind(models.TextChoices):
    PROVINCE = "province", _("Province")
    MUNICIPALITY = "municipality", _("Municipality")
    AUTONOMOUS_REGION = "autonomous_region", _("Autonomous region")
    OTHER = "other", _("Other")
