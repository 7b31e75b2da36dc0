"""schema.org data (JSON-LD) of an institution's page: what search engines may show of it."""
from core.structured_data import CONTEXT, compact, country_address, reference

from .choices import InstitutionKind


def institution_data(institution, request) -> dict:
    """``CollegeOrUniversity`` (``ResearchOrganization`` for a research institute), from published facts only."""
    type_ = "ResearchOrganization" if institution.kind == InstitutionKind.RESEARCH_INSTITUTE else "CollegeOrUniversity"
    other_names = [institution.native_name, institution.abbreviation, *(alias.name for alias in institution.aliases.all())]
    parent = institution.parent
    return compact({
        "@context": CONTEXT,
        "@type": type_,
        "name": institution.name,
        "alternateName": [name for name in dict.fromkeys(other_names) if name],
        "url": request.build_absolute_uri(institution.get_absolute_url()),
        "sameAs": [url for url in (institution.website, institution.ror_id and f"https://ror.org/{institution.ror_id}") if url],
        "description": institution.description,
        "address": country_address(institution.country, institution.city, institution.region),
        "parentOrganization": reference(parent, request) if parent is not None and parent.is_published else None,
    })
