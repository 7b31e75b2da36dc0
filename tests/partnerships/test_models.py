"""Partnership records' constraints, each checked through full_clean() and through the database."""
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError

from catalog.models import Institution
from partnerships.choices import Metric, Qualifier, Unit
from partnerships.models import Figure, Program
from tests.constraints import assert_db_refuses
from tests.factories import (
    ActivityFactory,
    AgreementFactory,
    FigureFactory,
    InstitutionFactory,
    JointInstituteFactory,
    ProgramFactory,
    RegionFactory,
    SourceFactory,
)
from tests.pages import admin_url, page_text
from tests.partnerships.test_form_rules import admin_form_data

pytestmark = pytest.mark.django_db


class TestFigureConstraints:
    def test_exactly_one_subject_full_clean(self):
        figure = FigureFactory.build(institution=InstitutionFactory(), region=RegionFactory(), source=SourceFactory())
        with pytest.raises(ValidationError, match="exactly one subject"):
            figure.full_clean()

    def test_exactly_one_subject_database(self):
        figure = FigureFactory()
        assert_db_refuses(lambda: Figure.objects.filter(pk=figure.pk).update(region=RegionFactory()))
        assert_db_refuses(lambda: Figure.objects.filter(pk=figure.pk).update(institution=None))

    def test_negative_count_refused(self):
        figure = FigureFactory.build(institution=InstitutionFactory(), source=SourceFactory(), value=Decimal("-1"))
        with pytest.raises(ValidationError, match="cannot be negative"):
            figure.full_clean()
        assert_db_refuses(lambda: FigureFactory(value=Decimal("-1")))

    def test_percentage_over_100_refused(self):
        figure = FigureFactory.build(
            institution=InstitutionFactory(), source=SourceFactory(), unit=Unit.PERCENT, value=Decimal("100.5")
        )
        with pytest.raises(ValidationError, match="more than 100"):
            figure.full_clean()
        assert_db_refuses(lambda: FigureFactory(unit=Unit.PERCENT, value=Decimal("101")))

    def test_percentage_of_100_allowed(self):
        FigureFactory.build(
            institution=InstitutionFactory(), source=SourceFactory(), unit=Unit.PERCENT, value=Decimal("100")
        ).full_clean()

    def test_period_end_before_start_refused(self):
        figure = FigureFactory.build(
            institution=InstitutionFactory(), source=SourceFactory(), period_start=2024, period_end=2020
        )
        with pytest.raises(ValidationError, match="end before it starts"):
            figure.full_clean()
        assert_db_refuses(lambda: FigureFactory(period_start=2024, period_end=2020))

    def test_fractional_count_refused(self):
        figure = FigureFactory.build(institution=InstitutionFactory(), source=SourceFactory(), value=Decimal("1.5"))
        with pytest.raises(ValidationError, match="whole number"):
            figure.full_clean()

    @pytest.mark.parametrize("period", [(2024, 2024), (None, 2023), (None, None)])
    def test_duplicate_figure_refused(self, period):
        first = FigureFactory(period_start=period[0], period_end=period[1])
        duplicate = Figure(
            institution=first.institution, metric=first.metric, source=first.source, value=Decimal("5"),
            period_start=period[0], period_end=period[1],
        )
        with pytest.raises(ValidationError, match="already gives this figure"):
            duplicate.full_clean()
        assert_db_refuses(duplicate.save)

    def test_same_metric_other_period_allowed(self):
        first = FigureFactory(period_start=2023, period_end=2023)
        FigureFactory(institution=first.institution, source=first.source, period_start=2024, period_end=2024)

    def test_display_value_keeps_qualifier(self):
        figure = FigureFactory.build(value=Decimal("684"), qualifier=Qualifier.MORE_THAN)
        assert figure.display_value == "more than 684"
        percent = FigureFactory.build(value=Decimal("37.20"), unit=Unit.PERCENT, qualifier=Qualifier.ABOUT)
        assert percent.display_value == "about 37.2%"
        assert FigureFactory.build(value=Decimal("1650")).display_value == "1,650"


class TestDates:
    def test_program_enrollment_years_in_order(self):
        program = ProgramFactory.build(host=InstitutionFactory(), enrollment_start_year=2026, enrollment_end_year=2025)
        with pytest.raises(ValidationError):
            program.full_clean()
        assert_db_refuses(program.save)

    def test_approval_date_needs_precision(self):
        program = ProgramFactory.build(host=InstitutionFactory(), approval_date=date(2025, 5, 1))
        with pytest.raises(ValidationError):
            program.full_clean()
        assert_db_refuses(program.save)

    def test_activity_end_not_before_start(self):
        activity = ActivityFactory.build(
            organizer=InstitutionFactory(), start_date=date(2019, 12, 14), end_date=date(2019, 12, 7)
        )
        with pytest.raises(ValidationError):
            activity.full_clean()
        assert_db_refuses(activity.save)


class TestProtectedDeletes:
    def test_host_of_a_program(self):
        program = ProgramFactory()
        with pytest.raises(ProtectedError):
            program.host.delete()

    def test_partner_of_a_program(self):
        program = ProgramFactory()
        with pytest.raises(ProtectedError):
            program.partners.get().delete()
        assert Program.objects.filter(pk=program.pk).exists()

    def test_member_of_a_joint_institute(self):
        institute = JointInstituteFactory()
        with pytest.raises(ProtectedError):
            institute.hosts[0].delete()

    def test_party_of_an_agreement(self):
        agreement = AgreementFactory()
        with pytest.raises(ProtectedError):
            agreement.parties.first().delete()

    def test_subject_of_a_figure(self):
        figure = FigureFactory()
        with pytest.raises(ProtectedError):
            figure.institution.delete()
        assert Institution.objects.filter(pk=figure.institution_id).exists()


def test_every_model_has_an_absolute_url():
    figure = FigureFactory()
    assert figure.get_absolute_url() == f"/institutions/{figure.institution.slug}/#figure-{figure.pk}"
    assert ProgramFactory().get_absolute_url().startswith("/programs/")
    assert JointInstituteFactory().get_absolute_url().startswith("/institutes/")
    assert AgreementFactory().get_absolute_url().startswith("/agreements/")


def test_institution_links_name_their_institution_and_lead_to_their_record():
    program, agreement = ProgramFactory(), AgreementFactory()
    activity = ActivityFactory()
    activity.hosts.add(InstitutionFactory(name="Visited University"))
    for link, record in [(program.partner_links.get(), program), (agreement.party_links.first(), agreement),
                         (activity.host_links.get(), activity)]:
        assert str(link) == str(link.institution)
        assert link.get_absolute_url() == record.get_absolute_url()


def test_metric_labels_are_distinct():
    labels = [label for _, label in Metric.choices]
    assert len(labels) == len(set(labels))


class TestFigureOfADraft:
    """Issue 9: a published figure about a draft would show the draft to the public."""

    def test_published_figure_about_a_draft_refused(self):
        program = ProgramFactory(publication_state="draft")
        figure = FigureFactory.build(institution=None, program=program, source=SourceFactory())
        with pytest.raises(ValidationError, match="cannot be published while .* is a draft"):
            figure.full_clean()

    def test_draft_figure_about_a_draft_allowed(self):
        figure = FigureFactory.build(
            institution=None, program=ProgramFactory(publication_state="draft"), source=SourceFactory(),
            publication_state="draft",
        )
        figure.full_clean()

    def test_public_leaves_out_a_published_figure_about_a_draft(self):
        shown = FigureFactory()
        hidden = FigureFactory(institution=None, program=ProgramFactory(publication_state="draft"))  # no clean()
        public = Figure.objects.public()
        assert shown in public
        assert hidden not in public

    def test_admin_inline_refuses_a_published_figure_on_a_draft_program(self, staff_client):
        program = ProgramFactory(publication_state="draft")
        program.sources.add(SourceFactory())
        url = admin_url(Program, "change", program.pk)
        data = admin_form_data(staff_client.get(url))
        data |= {
            "figures-TOTAL_FORMS": "1", "figures-0-metric": Metric.GRADUATE_STUDENTS, "figures-0-value": "10",
            "figures-0-qualifier": Qualifier.EXACT,
            "figures-0-unit": Unit.COUNT, "figures-0-source": program.sources.get().pk,
            "figures-0-publication_state": "published", "figures-0-program": program.pk,
        }
        response = staff_client.post(url, data)
        assert response.status_code == 200
        assert "cannot be published while" in page_text(response)
        assert not Figure.objects.filter(program=program).exists()
        # Kept a draft, the same figure is saved.
        data["figures-0-publication_state"] = "draft"
        response = staff_client.post(url, data)
        assert response.status_code == 302, page_text(response)[:3000]
        assert Figure.objects.get(program=program).publication_state == "draft"
