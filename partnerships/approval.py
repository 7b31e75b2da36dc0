"""Ministry of Education approval numbers (circular 教外综〔2004〕73号), decoded and checked against a record.

``MOE50RU2A20241234N`` reads: approving authority ``MOE``, province ``50`` (Chongqing), partner country
``RU``, level digit ``2``, degree/non-degree letter ``A``, approval year ``2024``, serial ``1234`` and
closing letter ``N``. Our sources name each part but do not say what each level digit, each
degree/non-degree letter or the closing letter means, nor list the provincial departments' codes:
those parts are shown as written, never given an invented meaning.
"""
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from django.utils.text import get_text_list
from django.utils.translation import gettext, gettext_lazy as _
from django_countries import countries

EXAMPLE = "MOE50RU2A20241234N"
MINISTRY = "MOE"

# The province-level divisions of GB/T 2260 (the first two digits of a division code), declared once:
# code, English name, Chinese name, and other spellings a record's region may use.
PROVINCES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "11": ("Beijing", "北京市", ()),
    "12": ("Tianjin", "天津市", ()),
    "13": ("Hebei", "河北省", ()),
    "14": ("Shanxi", "山西省", ()),
    "15": ("Inner Mongolia", "内蒙古自治区", ("Nei Mongol", "Nei Menggu")),
    "21": ("Liaoning", "辽宁省", ()),
    "22": ("Jilin", "吉林省", ()),
    "23": ("Heilongjiang", "黑龙江省", ()),
    "31": ("Shanghai", "上海市", ()),
    "32": ("Jiangsu", "江苏省", ()),
    "33": ("Zhejiang", "浙江省", ()),
    "34": ("Anhui", "安徽省", ()),
    "35": ("Fujian", "福建省", ()),
    "36": ("Jiangxi", "江西省", ()),
    "37": ("Shandong", "山东省", ()),
    "41": ("Henan", "河南省", ()),
    "42": ("Hubei", "湖北省", ()),
    "43": ("Hunan", "湖南省", ()),
    "44": ("Guangdong", "广东省", ()),
    "45": ("Guangxi", "广西壮族自治区", ("Guangxi Zhuang", "广西")),
    "46": ("Hainan", "海南省", ()),
    "50": ("Chongqing", "重庆市", ()),
    "51": ("Sichuan", "四川省", ()),
    "52": ("Guizhou", "贵州省", ()),
    "53": ("Yunnan", "云南省", ()),
    "54": ("Tibet", "西藏自治区", ("Xizang", "西藏")),
    "61": ("Shaanxi", "陕西省", ()),
    "62": ("Gansu", "甘肃省", ()),
    "63": ("Qinghai", "青海省", ()),
    "64": ("Ningxia", "宁夏回族自治区", ("Ningxia Hui", "宁夏")),
    "65": ("Xinjiang", "新疆维吾尔自治区", ("Xinjiang Uyghur", "Xinjiang Uygur", "新疆")),
    "71": ("Taiwan", "台湾省", ()),
    "81": ("Hong Kong", "香港特别行政区", ("Hong Kong SAR", "香港")),
    "82": ("Macao", "澳门特别行政区", ("Macau", "Macao SAR", "澳门")),
}

_SUFFIXES = ("specialadministrativeregion", "autonomousregion", "municipality", "province", "sar",
             "特别行政区", "自治区", "省", "市")


def _name_key(name: str) -> str:
    key = re.sub(r"[\s\-'’.]", "", unicodedata.normalize("NFKC", name)).casefold()
    for suffix in _SUFFIXES:
        if key.endswith(suffix) and len(key) > len(suffix):
            return key[: -len(suffix)]
    return key


_CODES_BY_NAME = {
    _name_key(name): code
    for code, (english, chinese, others) in PROVINCES.items()
    for name in (english, chinese, *others)
}


def province_code(name: str) -> str | None:
    """The GB/T 2260 code of the province-level division called ``name`` (any of its spellings), or None."""
    return _CODES_BY_NAME.get(_name_key(name or "")) if name and name.strip() else None


def province_label(code: str) -> str:
    english, chinese, _others = PROVINCES[code]
    return f"{english} ({chinese})"


@dataclass(frozen=True)
class PartSpec:
    key: str
    label: str
    length: int
    letters: bool  # letters A–Z, else digits 0–9
    expects: str


PARTS = (
    PartSpec("authority", _("approving authority"), 3, True, _("three letters, e.g. MOE")),
    PartSpec("province", _("province code"), 2, False, _("two digits, e.g. 50 for Chongqing")),
    PartSpec("country", _("country code"), 2, True, _("the partner's two-letter ISO 3166 code, e.g. RU")),
    PartSpec("level", _("level digit"), 1, False, _("one digit")),
    PartSpec("education", _("degree or non-degree letter"), 1, True, _("one letter")),
    PartSpec("year", _("approval year"), 4, False, _("four digits, e.g. 2024")),
    PartSpec("serial", _("serial number"), 4, False, _("four digits")),
    PartSpec("closing", _("closing letter"), 1, True, _("one letter")),
)
LENGTH = sum(spec.length for spec in PARTS)
PATTERN = re.compile("".join(
    f"(?P<{spec.key}>[A-Z]{{{spec.length}}})" if spec.letters else f"(?P<{spec.key}>[0-9]{{{spec.length}}})"
    for spec in PARTS
))


def pattern_description() -> str:
    return gettext(
        "An approval number has %(length)s characters: three letters (the approving authority), two digits "
        "(the province), two letters (the partner's country), one digit (the level), one letter (degree or "
        "non-degree education), four digits (the approval year), four digits (a serial number) and a closing "
        "letter, e.g. %(example)s."
    ) % {"length": LENGTH, "example": EXAMPLE}


@dataclass(frozen=True)
class Part:
    key: str
    label: str
    value: str
    meaning: str = ""  # empty where our sources do not state what the value means


@dataclass
class ApprovalNumber:
    """What a number says: ``parts`` when it follows the pattern, else ``errors`` (never both empty)."""

    text: str
    normalised: str
    parts: list[Part] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return not self.errors

    def part(self, key: str) -> str:
        return next((part.value for part in self.parts if part.key == key), "")

    @property
    def province(self) -> str:
        return self.part("province")

    @property
    def country(self) -> str:
        return self.part("country")

    @property
    def year(self) -> int | None:
        return int(self.part("year")) if self.part("year") else None


def normalise(text: str) -> str:
    """Forgive what people paste: full-width characters, spaces, hyphens and lower case."""
    text = unicodedata.normalize("NFKC", str(text or ""))
    return re.sub(r"[\s\-_·.]", "", text).upper()


def _meaning(key: str, value: str) -> str:
    if key == "authority":
        return gettext("Ministry of Education") if value == MINISTRY else gettext(
            "a provincial education department (our sources do not list these codes)")
    if key == "province":
        return province_label(value)
    if key == "country":
        return f"{countries.name(value)} ({value})"
    if key == "education":
        return gettext("degree or non-degree education; which letter means which is not stated by our sources")
    if key == "year":
        return value
    if key == "serial":
        return gettext("serial number %(value)s") % {"value": value}
    return ""


def _part_problem(spec: PartSpec, value: str, today: date) -> str | None:
    params = {"part": spec.label, "value": value, "expects": spec.expects}
    if len(value) < spec.length:
        if not value:
            return gettext("The number ends before the %(part)s (%(expects)s).") % params
        return gettext("The %(part)s '%(value)s' is too short: it should be %(expects)s.") % params
    wrong = not re.fullmatch("[A-Z]+" if spec.letters else "[0-9]+", value)
    if wrong:
        return gettext("The %(part)s '%(value)s' should be %(expects)s.") % params
    if spec.key == "province" and value not in PROVINCES:
        return gettext("The province code '%(value)s' is not a GB/T 2260 province-level code "
                       "(e.g. 11 Beijing, 50 Chongqing, 51 Sichuan).") % params
    if spec.key == "country" and value not in countries:
        return gettext("The country code '%(value)s' is not a country: it should be the partner's "
                       "ISO 3166 two-letter code, e.g. RU for Russia.") % params
    if spec.key == "year" and not 1949 <= int(value) <= today.year:
        return gettext("The approval year '%(value)s' cannot be right: it should be a year from 1949 to "
                       "%(this_year)s.") % {**params, "this_year": today.year}
    return None


def decode(number: str, *, today: date | None = None) -> ApprovalNumber:
    """Read ``number`` part by part. Never raises: a number that breaks the pattern gets messages
    naming each part that is wrong and what the pattern expects there."""
    today = today or date.today()
    normalised = normalise(number)
    result = ApprovalNumber(text=str(number or ""), normalised=normalised)
    if not normalised:
        result.errors.append(gettext("Give an approval number, e.g. %(example)s.") % {"example": EXAMPLE})
        return result
    if len(normalised) != LENGTH:
        result.errors.append(gettext(
            "'%(number)s' has %(count)s characters; an approval number has %(length)s."
        ) % {"number": normalised, "count": len(normalised), "length": LENGTH})
    position = 0
    for spec in PARTS:
        value = normalised[position:position + spec.length]
        position += spec.length
        problem = _part_problem(spec, value, today)
        if problem:
            result.errors.append(problem)
            if len(normalised) != LENGTH:
                break  # the parts after a missing or extra character are shifted: one hint is enough
        else:
            result.parts.append(Part(spec.key, str(spec.label), value, _meaning(spec.key, value)))
    if len(normalised) > LENGTH and len(result.errors) == 1:
        result.errors.append(gettext("'%(extra)s' follows the closing letter.") % {"extra": normalised[LENGTH:]})
    if result.errors:
        result.errors.append(pattern_description())
        result.parts = []
    return result


def record_problems(decoded: ApprovalNumber, *, regions=(), partner_countries=(),
                    approval_year: int | None = None) -> list[str]:
    """How a valid number disagrees with its record: the record's ``regions`` (names of provinces, e.g. the
    host's), the partners' country codes and the approval date's year. What the record leaves unknown
    (a region that names no province, no partners, no date) is not checked; an invalid number has its own errors."""
    if not decoded.is_valid:
        return []
    problems = []
    known = {name: province_code(name) for name in regions if province_code(name)}
    if known and decoded.province not in known.values():
        problems.append(gettext(
            "The province code '%(code)s' (%(province)s) in the approval number does not match the record's "
            "region: %(regions)s."
        ) % {"code": decoded.province, "province": province_label(decoded.province),
             "regions": get_text_list([f"{name} ({code})" for name, code in known.items()], gettext("or"))})
    codes = sorted({str(code) for code in partner_countries if code})
    if codes and decoded.country not in codes:
        problems.append(gettext(
            "The country code '%(code)s' (%(country)s) in the approval number is not the country of any "
            "partner: %(partners)s."
        ) % {"code": decoded.country, "country": countries.name(decoded.country),
             "partners": ", ".join(f"{countries.name(code)} ({code})" for code in codes)})
    if approval_year and decoded.year != approval_year:
        problems.append(gettext(
            "The approval year '%(year)s' in the approval number does not match the approval date's year, "
            "%(date_year)s."
        ) % {"year": decoded.year, "date_year": approval_year})
    return problems


def regions_of(record) -> list[str]:
    """The names of the province a record (an institution, a program) is in, as it gives them: its
    region, or a city that is a province-level municipality such as Chongqing."""
    names = (getattr(record, "region", ""), getattr(record, "city", ""))
    return [name for name in names if isinstance(name, str) and province_code(name)]


def link_problems(number: str, *, partners=(), hosts=()) -> list[str]:
    """How ``number`` disagrees with the partners (country) and hosts (province) given with it: a form's
    inline rows or an import row's link columns. An invalid or empty number is reported elsewhere."""
    if not number:
        return []
    regions = [name for host in hosts for name in regions_of(host)]
    return record_problems(decode(number), regions=regions, partner_countries=[getattr(p, "country", "") for p in partners])
