"""The facts of the four source articles in shared/seeds/, loaded by ``manage.py load_seeds``.

Every value below is stated by the cited article; where an article is silent the
field is left empty. Names that the articles machine-translate are recorded under
the institution's real name, with the article's wording kept as an alias.
"""
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils.text import slugify

from catalog.choices import DatePrecision, InstitutionKind, PublicationState, RegionKind
from catalog.models import Discipline, Region, Source
from catalog.services import load_disciplines, save_changes, upsert_institution

from .choices import (
    ActivityKind,
    AgreementKind,
    AgreementStatus,
    ApprovalStatus,
    DegreeModel,
    Metric,
    ProgramLevel,
    Qualifier,
    Unit,
)
from .services import upsert_activity, upsert_agreement, upsert_figure, upsert_joint_institute, upsert_program

PUBLISHED = PublicationState.PUBLISHED
MOE = "Ministry of Education of the People's Republic of China"
MAY_2025 = {
    "approving_authority": MOE,
    "approval_date": date(2025, 5, 1),
    "approval_date_precision": DatePrecision.MONTH,
}

SOURCES = {
    "ucas": {
        "slug": "ucas-chongqing-graduate-education",
        "seed_file": "000_28f07956d7b2c4f0.txt",
        "title": "Graduate education at the Chongqing School of the University of Chinese Academy of Sciences",
        "note": "Undated, untitled machine-translated article; the title here describes it.",
    },
    "ichongqing": {
        "slug": "chongqing-expands-international-education-partnerships",
        "seed_file": "001_f8c0f7f53588e77f.txt",
        "title": "Chongqing Expands International Education Partnerships",
        "publisher": "iChongqing (Feng Xiaolou)",
        "published_on": date(2025, 6, 1),
    },
    "csu": {
        "slug": "csu-promotes-interschool-cooperation",
        "seed_file": "002_fb32560b9b7784fe.txt",
        "title": "CSU Promotes Interschool Cooperation to Accelerate Internationalization of Graduate Education",
        "publisher": "Central South University news (Graduate School)",
        "published_on": date(2020, 1, 8),
    },
    "fefu": {
        "slug": "china-russia-educational-partnership-launches-in-chongqing",
        "seed_file": "003_02e2c5d903585359.txt",
        "title": "China-Russia Educational Partnership Launches in Chongqing",
        "note": "Undated; it reports a launch on 4 November, which article 001 places in 2025.",
    },
}


def _institutions(src):
    """Institution rows: (key, fields). Parents come before their members."""
    cq = {"country": "CN", "city": "Chongqing", "region": "Chongqing"}
    return [
        ("ucas", {"slug": "university-of-chinese-academy-of-sciences", "name": "University of Chinese Academy of Sciences",
                  "native_name": "中国科学院大学", "abbreviation": "UCAS", "kind": InstitutionKind.UNIVERSITY,
                  "country": "CN", "sources": [src["ucas"]]}),
        ("ucas_cq", {"slug": "ucas-chongqing-school", "name": "University of Chinese Academy of Sciences, Chongqing School",
                     "native_name": "中国科学院大学重庆学院", "kind": InstitutionKind.SCHOOL, "parent_key": "ucas",
                     "aliases": [("Chongqing University of Science and Technology of China", src["ucas"]),
                                 ("National University of Science and Technology of China", src["ucas"])],
                     "disciplines": [("cn-grad", "0854"), ("cn-grad", "0856"), ("cn-grad", "0857")],
                     "description": "Graduate education of the Chinese Academy of Sciences in Chongqing, trained in two "
                                    "stages: courses on the teaching campus, then research practice in the institute.",
                     "sources": [src["ucas"]], **cq}),
        ("cigit", {"slug": "cas-chongqing-institute-of-green-and-intelligent-technology",
                   "name": "Chongqing Institute of Green and Intelligent Technology, Chinese Academy of Sciences",
                   "native_name": "中国科学院重庆绿色智能技术研究院", "abbreviation": "CIGIT",
                   "kind": InstitutionKind.RESEARCH_INSTITUTE,
                   "aliases": [("Chinese Academy of Sciences Chongqing Green and Intelligent Technology Research Institute",
                                src["ucas"])],
                   "sources": [src["ucas"]], **cq}),
        ("cqupt", {"slug": "chongqing-university-of-posts-and-telecommunications",
                   "name": "Chongqing University of Posts and Telecommunications", "native_name": "重庆邮电大学",
                   "abbreviation": "CQUPT", "kind": InstitutionKind.UNIVERSITY,
                   "sources": [src["ichongqing"], src["fefu"]], **cq}),
        ("fefu", {"slug": "far-eastern-federal-university", "name": "Far Eastern Federal University",
                  "native_name": "Дальневосточный федеральный университет", "abbreviation": "FEFU",
                  "kind": InstitutionKind.UNIVERSITY, "country": "RU", "city": "Vladivostok",
                  "aliases": [("远东联邦大学", None)],
                  "description": "A major public university and research centre in Russia's Far East.",
                  "sources": [src["ichongqing"], src["fefu"]]}),
        ("cqu", {"slug": "chongqing-university", "name": "Chongqing University", "native_name": "重庆大学",
                 "abbreviation": "CQU", "kind": InstitutionKind.UNIVERSITY, "sources": [src["ichongqing"]], **cq}),
        ("nsu", {"slug": "novosibirsk-state-university", "name": "Novosibirsk State University",
                 "native_name": "Новосибирский государственный университет", "abbreviation": "NSU",
                 "kind": InstitutionKind.UNIVERSITY, "country": "RU", "aliases": [("新西伯利亚国立大学", None)],
                 "sources": [src["ichongqing"]]}),
        ("cqnu", {"slug": "chongqing-normal-university", "name": "Chongqing Normal University",
                  "native_name": "重庆师范大学", "abbreviation": "CQNU", "kind": InstitutionKind.UNIVERSITY,
                  "sources": [src["ichongqing"]], **cq}),
        ("mosconsv", {"slug": "tchaikovsky-moscow-state-conservatory", "name": "Tchaikovsky Moscow State Conservatory",
                      "native_name": "Московская государственная консерватория имени П. И. Чайковского",
                      "kind": InstitutionKind.CONSERVATORY, "country": "RU",
                      "aliases": [("Moscow State Tchaikovsky Conservatory", src["ichongqing"]),
                                  ("莫斯科国立柴可夫斯基音乐学院", None)],
                      "sources": [src["ichongqing"], src["fefu"]]}),
        ("swu", {"slug": "southwest-university", "name": "Southwest University", "native_name": "西南大学",
                 "abbreviation": "SWU", "kind": InstitutionKind.UNIVERSITY, "sources": [src["ichongqing"]], **cq}),
        ("otago", {"slug": "university-of-otago", "name": "University of Otago", "native_name": "Te Whare Wānanga o Ōtākou",
                   "kind": InstitutionKind.UNIVERSITY, "country": "NZ", "aliases": [("奥塔哥大学", None)],
                   "sources": [src["ichongqing"]]}),
        ("cqcmc", {"slug": "chongqing-college-of-mobile-communication", "name": "Chongqing College of Mobile Communication",
                   "native_name": "重庆移通学院", "kind": InstitutionKind.COLLEGE, "sources": [src["ichongqing"]], **cq}),
        ("hmkw", {"slug": "hmkw-university-of-applied-sciences",
                  "name": "HMKW University of Applied Sciences for Media, Communication and Management",
                  "native_name": "Hochschule für Medien, Kommunikation und Wirtschaft", "abbreviation": "HMKW",
                  "kind": InstitutionKind.APPLIED_SCIENCES, "country": "DE", "city": "Berlin",
                  "aliases": [("Berlin University of Applied Sciences for Media, Communication, and Economics",
                               src["ichongqing"])],
                  "sources": [src["ichongqing"]]}),
        ("cqievc", {"slug": "chongqing-intelligent-engineering-vocational-college",
                    "name": "Chongqing Intelligent Engineering Vocational College", "native_name": "重庆智能工程职业学院",
                    "kind": InstitutionKind.VOCATIONAL_COLLEGE, "sources": [src["ichongqing"]], **cq}),
        ("ulstu", {"slug": "ulyanovsk-state-technical-university", "name": "Ulyanovsk State Technical University",
                   "native_name": "Ульяновский государственный технический университет", "abbreviation": "UlSTU",
                   "kind": InstitutionKind.UNIVERSITY, "country": "RU", "sources": [src["ichongqing"]]}),
        ("csu", {"slug": "central-south-university", "name": "Central South University", "native_name": "中南大学",
                 "abbreviation": "CSU", "kind": InstitutionKind.UNIVERSITY, "country": "CN", "sources": [src["csu"]]}),
        ("postech", {"slug": "pohang-university-of-science-and-technology",
                     "name": "Pohang University of Science and Technology", "native_name": "포항공과대학교",
                     "abbreviation": "POSTECH", "kind": InstitutionKind.UNIVERSITY, "country": "KR",
                     "sources": [src["csu"]]}),
        ("kyushu", {"slug": "kyushu-university", "name": "Kyushu University", "native_name": "九州大学",
                    "kind": InstitutionKind.UNIVERSITY, "country": "JP", "sources": [src["csu"]]}),
        ("kyoto", {"slug": "kyoto-university", "name": "Kyoto University", "native_name": "京都大学",
                   "kind": InstitutionKind.UNIVERSITY, "country": "JP", "sources": [src["csu"]]}),
    ]


def _load_institutions(src, disciplines):
    loaded = {}
    for key, row in _institutions(src):
        row = dict(row)
        parent_key = row.pop("parent_key", None)
        row["disciplines"] = [disciplines[pair] for pair in row.get("disciplines", [])]
        loaded[key] = upsert_institution(parent=loaded.get(parent_key), publication_state=PUBLISHED, **row)
    return loaded


def _load_institutes_and_programs(src, inst, disc):
    fefu_ji = upsert_joint_institute(
        slug="cqupt-fefu-joint-institute",
        name="Chongqing University of Posts and Telecommunications – Far Eastern Federal University Joint Institute",
        abbreviation="CQUPT–FEFU Joint Institute",
        hosts=[inst["cqupt"]], partners=[inst["fefu"]], city="Chongqing",
        launched_on=date(2025, 11, 4), launched_on_precision=DatePrecision.DAY,
        launch_note="The launch article gives 4 November without a year; the iChongqing article of June 2025 "
                    "lists the institute among those approved in May 2025, so the year 2025 is inferred.",
        approval_status=ApprovalStatus.ENROLLING, degree_model=DegreeModel.DUAL, dean="Wang Yang",
        enrollment_target=1650, enrollment_target_note="students over the next four years",
        description="The first China–Russia joint educational institution in western China and Russia's Far East. "
                    "Students study mainly at CQUPT, with Russian faculty teaching in China; Chinese and Russian "
                    "students enrol together, and Chinese students can go on exchange to Russia. It focuses on "
                    "digital intelligence technology.",
        sources=[src["ichongqing"], src["fefu"]], publication_state=PUBLISHED, **MAY_2025,
    )
    upsert_joint_institute(
        slug="chongqing-tchaikovsky-conservatory-of-music", name="Chongqing Tchaikovsky Conservatory of Music",
        hosts=[inst["cqnu"]], partners=[inst["mosconsv"]], city="Chongqing",
        approval_status=ApprovalStatus.APPROVED,
        sources=[src["ichongqing"], src["fefu"]], publication_state=PUBLISHED, **MAY_2025,
    )
    fefu_programs = [
        ("Computer Science and Technology", ProgramLevel.BACHELOR, ("cn-ug", "080901"), "bachelor"),
        ("Digital Media Technology", ProgramLevel.BACHELOR, ("cn-ug", "080906"), "bachelor"),
        ("Internet of Things Engineering", ProgramLevel.BACHELOR, ("cn-ug", "080905"), "bachelor"),
        ("Information and Communication Engineering", "", ("cn-grad", "0810"), "graduate"),
        ("Computer Science and Technology", "", ("cn-grad", "0812"), "graduate"),
        ("Control Science and Engineering", "", ("cn-grad", "0811"), "graduate"),
    ]
    programs = {}
    for name, level, discipline, stage in fefu_programs:
        iot = name == "Internet of Things Engineering"
        programs[name if stage == "bachelor" else f"{name} (graduate)"] = upsert_program(
            slug=f"cqupt-fefu-{slugify(name)}-{stage}", name=name, level=level,
            host=inst["cqupt"], partners=[inst["fefu"]], joint_institute=fefu_ji, disciplines=[disc[discipline]],
            city="Chongqing", degree_model=DegreeModel.DUAL,
            approval_status=ApprovalStatus.ENROLLING if iot else "",
            enrollment_start_year=2025 if iot else None,
            description="" if level else "A graduate program; the source does not say at which degree level.",
            sources=[src["fefu"]], publication_state=PUBLISHED,
        )
    new_programs = [
        ("cqu-nsu-physics", "Physics", ProgramLevel.BACHELOR, "cqu", "nsu", ("cn-ug", "070201")),
        ("swu-otago-pharmacy", "Pharmacy", ProgramLevel.BACHELOR, "swu", "otago", ("cn-ug", "100701")),
        ("cqcmc-hmkw-digital-media-arts", "Digital Media Arts", ProgramLevel.BACHELOR, "cqcmc", "hmkw",
         ("cn-ug", "130508")),
        ("cqievc-ulstu-iot-application-technology", "IoT Application Technology", ProgramLevel.VOCATIONAL,
         "cqievc", "ulstu", ("cn-voc", "510102")),
    ]
    for slug, name, level, host, partner, discipline in new_programs:
        upsert_program(
            slug=slug, name=name, level=level, host=inst[host], partners=[inst[partner]],
            disciplines=[disc[discipline]], city="Chongqing", approval_status=ApprovalStatus.APPROVED,
            sources=[src["ichongqing"]], publication_state=PUBLISHED, **MAY_2025,
        )
    return fefu_ji, programs


def _load_csu_visit(src, inst):
    scopes = {
        "postech": "Exchange of graduate students and cooperation in scientific fields including metallurgy and "
                   "machinery.",
        "kyushu": "Details of the MOU and the exchange of graduate students agreed; consensus on strategic "
                  "cooperation in engineering.",
    }
    agreements = [
        upsert_agreement(
            slug=f"csu-{key}-mou-2019", title=f"Central South University – {inst[key].name} memorandum of understanding",
            kind=AgreementKind.MOU, parties=[inst["csu"], inst[key]], status=AgreementStatus.SIGNED,
            scope=scope, sources=[src["csu"]], publication_state=PUBLISHED,
        )
        for key, scope in scopes.items()
    ]
    upsert_activity(
        slug="csu-delegation-korea-japan-2019",
        title="Central South University delegation to South Korea and Japan, December 2019",
        kind=ActivityKind.DELEGATION_VISIT, organizer=inst["csu"],
        hosts=[inst["postech"], inst["kyushu"], inst["kyoto"]],
        start_date=date(2019, 12, 7), end_date=date(2019, 12, 14),
        leader="Zhu Xuehong, Vice President of Central South University",
        participants="Teachers from the Graduate School, the School of Metallurgy and Environment, the School of "
                     "Civil Engineering, and the Office of International Cooperation and Exchanges.",
        purpose="Interschool cooperation, including graduate education and the exchange of teachers and students.",
        outcome="Initial intentions of cooperation reached by signing bilateral memoranda. At Kyoto University the "
                "two sides discussed staff exchange, joint research and joint cultivation of graduates.",
        agreements=agreements, sources=[src["csu"]], publication_state=PUBLISHED,
    )


def _figures(src, inst, region, fefu_ji, programs):
    school, csu = inst["ucas_cq"], inst["csu"]
    iot = programs["Internet of Things Engineering"]
    return [
        (school, Metric.DEGREES_AWARDED, 320, Unit.COUNT, Qualifier.EXACT, None, 2023, src["ucas"],
         "Master's and doctoral degrees awarded in total, as of the end of 2023."),
        (school, Metric.GRADUATE_STUDENTS, 684, Unit.COUNT, Qualifier.MORE_THAN, None, None, src["ucas"],
         "Graduate students at present (the article is undated)."),
        (school, Metric.DOCTORAL_SHARE, Decimal("37.2"), Unit.PERCENT, Qualifier.ABOUT, None, None, src["ucas"],
         "Doctoral students as a share of graduate students."),
        (school, Metric.DOCTORAL_DISCIPLINES, 4, Unit.COUNT, Qualifier.EXACT, None, None, src["ucas"],
         "Doctoral-level disciplines of science and engineering in academic-degree training."),
        (school, Metric.MASTER_DISCIPLINES, 5, Unit.COUNT, Qualifier.EXACT, None, None, src["ucas"],
         "Master-level disciplines of science and engineering in academic-degree training."),
        (school, Metric.PROFESSIONAL_DEGREE_CATEGORIES, 3, Unit.COUNT, Qualifier.EXACT, None, None, src["ucas"],
         "Electronic information; materials and chemical engineering; resources and environment."),
        (region, Metric.COOPERATIVE_TOTAL, 75, Unit.COUNT, Qualifier.EXACT, 2025, 2025, src["ichongqing"],
         "China–foreign cooperative institutions and programs in Chongqing after the May 2025 approvals."),
        (region, Metric.JOINT_INSTITUTES, 9, Unit.COUNT, Qualifier.EXACT, 2025, 2025, src["ichongqing"], ""),
        (region, Metric.JOINT_PROGRAMS, 66, Unit.COUNT, Qualifier.EXACT, 2025, 2025, src["ichongqing"], ""),
        (region, Metric.DISCIPLINES_COVERED, 101, Unit.COUNT, Qualifier.EXACT, 2025, 2025, src["ichongqing"],
         "Academic disciplines covered by Chongqing's cooperative institutions and programs."),
        (region, Metric.STEM_SHARE, Decimal("68.3"), Unit.PERCENT, Qualifier.EXACT, 2025, 2025, src["ichongqing"],
         "Share of the 101 disciplines related to modern technology, engineering, agriculture and medicine."),
        (region, Metric.NEW_APPROVALS, 6, Unit.COUNT, Qualifier.EXACT, 2025, 2025, src["ichongqing"],
         "Approved by the Ministry of Education in May 2025, with partners from Russia, New Zealand and Germany."),
        (region, Metric.STUDENTS_EXCHANGED_PER_YEAR, 1000, Unit.COUNT, Qualifier.NEARLY, 2025, 2025, src["fefu"],
         "Chinese and Russian students exchanged each year through Chongqing's China–Russia institutions and "
         "programs (Chongqing Municipal Education Commission)."),
        (region, Metric.CHINA_RUSSIA_COOPERATIVE, 6, Unit.COUNT, Qualifier.EXACT, 2025, 2025, src["fefu"],
         "China–Russia joint educational institutions and projects in Chongqing "
         "(Chongqing Municipal Education Commission)."),
        (fefu_ji, Metric.ENROLLMENT_TARGET, 1650, Unit.COUNT, Qualifier.EXACT, None, None, src["fefu"],
         "Students over the next four years."),
        (iot, Metric.STUDENTS_ADMITTED, 100, Unit.COUNT, Qualifier.EXACT, 2025, 2025, src["fefu"],
         "Students admitted in the inaugural year."),
        (csu, Metric.STUDENTS_FUNDED_OVERSEAS_VISITS, 300, Unit.COUNT, Qualifier.EXACT, 2019, 2019, src["csu"],
         "Graduate students supported for overseas academic visits of 3–12 months."),
        (csu, Metric.STUDENTS_VISITED_ABROAD, 251, Unit.COUNT, Qualifier.EXACT, 2019, 2019, src["csu"],
         "Students who had made their visits by the time of the article."),
        (csu, Metric.COUNTRIES_VISITED, 10, Unit.COUNT, Qualifier.MORE_THAN, 2019, 2019, src["csu"],
         "Countries and regions visited, including the US, Australia, Canada, the UK, Japan and Singapore."),
        (csu, Metric.CONFERENCE_FUNDING_APPLICANTS, 141, Unit.COUNT, Qualifier.EXACT, 2019, 2019, src["csu"],
         "Students who applied for funding to attend high-level international conferences."),
        (csu, Metric.CONFERENCE_ATTENDEES, 100, Unit.COUNT, Qualifier.EXACT, 2019, 2019, src["csu"],
         "Students invited to conferences in the US, Japan, South Korea, Canada and elsewhere."),
    ]


@transaction.atomic
def load_seed_facts() -> None:
    """Load (or bring up to date) every fact of the four source articles, published."""
    load_disciplines()
    src = {}
    for key, fields in SOURCES.items():
        source = Source.objects.filter(slug=fields["slug"]).first() or Source(slug=fields["slug"])
        save_changes(source, {"publisher": "", "published_on": None, "url": "", "note": "", **fields})
        src[key] = source
    disciplines = {(d.catalogue, d.code): d for d in Discipline.objects.all()}
    inst = _load_institutions(src, disciplines)
    region = Region.objects.filter(slug="chongqing").first() or Region(slug="chongqing")
    save_changes(region, {"name": "Chongqing", "native_name": "重庆", "kind": RegionKind.MUNICIPALITY,
                          "country": "CN", "publication_state": PUBLISHED})
    region.sources.set([src["ichongqing"], src["fefu"]])
    fefu_ji, programs = _load_institutes_and_programs(src, inst, disciplines)
    _load_csu_visit(src, inst)
    for subject, metric, value, unit, qualifier, start, end, source, note in _figures(
        src, inst, region, fefu_ji, programs
    ):
        upsert_figure(subject=subject, metric=metric, value=value, unit=unit, qualifier=qualifier,
                      period_start=start, period_end=end, source=source, note=note, publication_state=PUBLISHED)
