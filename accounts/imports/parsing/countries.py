"""Countries: ISO codes pass; common names in English and in their own language."""

from typing import Any

from django.utils.translation import gettext as _

from accounts.imports.parsing.text import ParseError, as_text, shortened

_COUNTRY_NAMES = {
    "AR": ("argentina",),
    "AT": ("austria", "österreich", "osterreich"),
    "AU": ("australia",),
    "BE": ("belgium", "belgië", "belgique", "belgien"),
    "BG": ("bulgaria",),
    "BR": ("brazil", "brasil"),
    "CA": ("canada",),
    "CH": ("switzerland", "schweiz", "suisse", "svizzera"),
    "CL": ("chile",),
    "CN": ("china", "people's republic of china", "prc", "中国", "中华人民共和国"),
    "CO": ("colombia",),
    "CZ": ("czech republic", "czechia", "česko", "česká republika"),
    "DE": ("germany", "deutschland", "federal republic of germany"),
    "DK": ("denmark", "danmark"),
    "EE": ("estonia",),
    "EG": ("egypt",),
    "ES": ("spain", "españa", "espana"),
    "FI": ("finland", "suomi"),
    "FR": ("france",),
    "GB": (
        "united kingdom",
        "uk",
        "great britain",
        "england",
        "scotland",
        "wales",
        "northern ireland",
        "britain",
    ),
    "GR": ("greece",),
    "HK": ("hong kong",),
    "HR": ("croatia", "hrvatska"),
    "HU": ("hungary", "magyarország"),
    "ID": ("indonesia",),
    "IE": ("ireland",),
    "IL": ("israel",),
    "IN": ("india",),
    "IT": ("italy", "italia"),
    "JP": ("japan", "日本"),
    "KR": ("south korea", "korea", "republic of korea", "korea, republic of"),
    "KZ": ("kazakhstan",),
    "LT": ("lithuania",),
    "LU": ("luxembourg",),
    "LV": ("latvia",),
    "MA": ("morocco",),
    "MX": ("mexico", "méxico"),
    "MY": ("malaysia",),
    "NG": ("nigeria",),
    "NL": ("netherlands", "the netherlands", "holland", "nederland"),
    "NO": ("norway", "norge"),
    "NZ": ("new zealand",),
    "PE": ("peru",),
    "PH": ("philippines",),
    "PL": ("poland", "polska"),
    "PT": ("portugal",),
    "RO": ("romania",),
    "RS": ("serbia",),
    "RU": ("russia", "russian federation", "россия", "российская федерация"),
    "SA": ("saudi arabia",),
    "SE": ("sweden", "sverige"),
    "SG": ("singapore",),
    "SI": ("slovenia",),
    "SK": ("slovakia",),
    "TH": ("thailand",),
    "TR": ("turkey", "türkiye", "turkiye"),
    "TW": ("taiwan",),
    "UA": ("ukraine", "україна"),
    "AE": ("united arab emirates", "uae"),
    "US": ("united states", "united states of america", "usa", "u.s.a.", "u.s.", "america"),
    "VN": ("vietnam", "viet nam"),
    "ZA": ("south africa",),
}
_ALPHA3 = {
    "ARG": "AR",
    "AUS": "AU",
    "AUT": "AT",
    "BEL": "BE",
    "BRA": "BR",
    "CAN": "CA",
    "CHE": "CH",
    "CHN": "CN",
    "CZE": "CZ",
    "DEU": "DE",
    "DNK": "DK",
    "ESP": "ES",
    "FIN": "FI",
    "FRA": "FR",
    "GBR": "GB",
    "IND": "IN",
    "IRL": "IE",
    "ITA": "IT",
    "JPN": "JP",
    "KOR": "KR",
    "MEX": "MX",
    "NLD": "NL",
    "NOR": "NO",
    "POL": "PL",
    "PRT": "PT",
    "RUS": "RU",
    "SWE": "SE",
    "SGP": "SG",
    "TUR": "TR",
    "UKR": "UA",
    "USA": "US",
    "ZAF": "ZA",
}
# Every officially assigned ISO 3166-1 alpha-2 code.
_ISO2_CODES = (
    "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR "
    "BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ "
    "EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW "
    "GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY "
    "KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV "
    "MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY "
    "QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG "
    "TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM "
    "ZW"
)
_ISO2 = frozenset(_ISO2_CODES.split())
_BY_NAME = {name: code for code, names in _COUNTRY_NAMES.items() for name in names}


def parse_country(value: Any) -> str:
    """An ISO 3166 two-letter code from a code or a common country name."""
    text = " ".join(as_text(value).split())
    upper = text.upper()
    if upper in _ISO2:
        return upper
    if upper in _ALPHA3:
        return _ALPHA3[upper]
    code = _BY_NAME.get(text.casefold().removeprefix("the ").strip())
    if code:
        return code
    raise ParseError(
        _("'%(value)s' is not a known country; use a two-letter ISO code such as DE or US.")
        % {"value": shortened(text)}
    )
