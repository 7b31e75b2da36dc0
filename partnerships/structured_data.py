"""schema.org data (JSON-LD) of joint institute and program pages: what search engines may show.

Only facts the registry holds, and only published records, go in; read the effective approval
(``with_effective_approval()``) where the page does.
"""
from core.structured_data import CONTEXT, compact, country_address, iso_date, iso_duration, reference


def _approval_identifier(record) -> dict | None:
    if not record.approval_number:
        return None
    return {"@type": "PropertyValue", "propertyID": "China–foreign cooperative education approval number",
            "value": record.approval_number}


def institute_data(institute, request) -> dict:
    """``CollegeOrUniversity`` for a joint institute; its hosts and partners as parent organisations."""
    members = [member for member in (*institute.hosts, *institute.partners) if member.is_published]
    return compact({
        "@context": CONTEXT,
        "@type": "CollegeOrUniversity",
        "name": institute.name,
        "alternateName": [name for name in (institute.native_name, institute.abbreviation) if name],
        "url": request.build_absolute_uri(institute.get_absolute_url()),
        "sameAs": institute.website,
        "description": institute.description,
        "foundingDate": iso_date(institute.launched_on, institute.launched_on_precision),
        "address": country_address("CN", institute.city) if institute.city else None,
        "identifier": _approval_identifier(institute),
        "parentOrganization": [reference(member, request) for member in members],
    })


def program_data(program, request) -> dict:
    """``EducationalOccupationalProgram``: its providers (host, partners, joint institute), what it
    awards, how long it takes, its intake and its tuition, each only where known."""
    providers = [program.host, *program.partners.all(), program.joint_institute]
    credential = " – ".join(
        str(label) for label in (program.get_level_display(), program.get_degree_model_display()) if label
    )
    tuition = program.tuition_cny_per_year
    return compact({
        "@context": CONTEXT,
        "@type": "EducationalOccupationalProgram",
        "name": program.name,
        "alternateName": program.native_name,
        "url": request.build_absolute_uri(program.get_absolute_url()),
        "description": program.description,
        "provider": [reference(record, request) for record in providers if record is not None and record.is_published],
        "programType": program.get_level_display(),
        "educationalCredentialAwarded": credential,
        "timeToComplete": iso_duration(program.duration_years),
        "maximumEnrollment": program.annual_intake,
        "offers": {"@type": "Offer", "category": "Tuition per year", "price": tuition, "priceCurrency": "CNY"}
        if tuition is not None else None,
        "identifier": _approval_identifier(program),
    })
