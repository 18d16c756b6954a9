"""Canonical forms of the signals two CRMs hold about one customer.

Names lose what varies between data-entry habits but says nothing about who the
company is: case, accents on Latin letters, punctuation, "&" against "and",
abbreviations and legal-form suffixes in many languages. Cyrillic and CJK
letters are kept (a separate transliteration lets scoring compare Cyrillic with
Latin spellings). Domains are reduced to the registrable domain, and free-mail
providers never count as a company's domain.
"""

import re
import unicodedata
from dataclasses import dataclass

from rapidfuzz.distance import OSA


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words that mean the same thing in a company name, written differently.
ABBREVIATIONS: dict[str, str] = {
    "intl": "international",
    "internat": "international",
    "mfg": "manufacturing",
    "mfrs": "manufacturers",
    "corp": "corporation",
    "co": "company",
    "cos": "companies",
    "inc": "incorporated",
    "ltd": "limited",
    "tech": "technologies",
    "techs": "technologies",
    "technology": "technologies",
    "svc": "services",
    "svcs": "services",
    "serv": "services",
    "service": "services",
    "mgmt": "management",
    "mgt": "management",
    "bros": "brothers",
    "natl": "national",
    "univ": "university",
    "grp": "group",
    "hldg": "holdings",
    "hldgs": "holdings",
    "holding": "holdings",
    "ind": "industries",
    "inds": "industries",
    "indus": "industries",
    "industry": "industries",
    "sys": "systems",
    "system": "systems",
    "lab": "laboratories",
    "labs": "laboratories",
    "laboratory": "laboratories",
    "pharma": "pharmaceuticals",
    "pharmaceutical": "pharmaceuticals",
    "eng": "engineering",
    "engg": "engineering",
    "dev": "development",
    "ent": "enterprises",
    "enterprise": "enterprises",
    "sol": "solutions",
    "solns": "solutions",
    "solution": "solutions",
    "comm": "communications",
    "comms": "communications",
    "communication": "communications",
    "ctr": "center",
    "centre": "center",
    "dept": "department",
    "finl": "financial",
    "ins": "insurance",
    "mktg": "marketing",
    "prod": "products",
    "product": "products",
    "dist": "distribution",
    "distr": "distribution",
    "equip": "equipment",
    "chem": "chemicals",
    "chemical": "chemicals",
    "med": "medical",
    "assocs": "associates",
    "grupo": "group",
    "groupe": "group",
    "gruppe": "group",
    "gruppo": "group",
    # The same generic words in the seeds' other languages.
    "banco": "bank",
    "banca": "bank",
    "groep": "group",
    "participacoes": "holdings",
    "participaciones": "holdings",
    "compania": "company",
    "companhia": "company",
    "compagnie": "company",
    "corporacion": "corporation",
    "und": "and",
    "et": "and",
    "y": "and",
}

# Legal forms, as single tokens after abbreviation expansion. Removed only at
# the end of a name (or the start, for LEADING_LEGAL_FORMS), never in the middle.
LEGAL_FORMS: frozenset[str] = _wordset(
    """
    incorporated corporation company companies limited llc llp lp plc pllc lllp
    gmbh ag kg kgaa ohg ug mbh ev se sa sas sasu sarl eurl snc sca scs spa srl srls sl slu
    bv nv vof cv ab oy oyj as asa aps ehf hf kft zrt nyrt rt sro spol zoo doo dd ad ead
    bhd sdn pte pty pvt tbk kk gk yk ltda sab cia sae saa sac eirl lda
    sapa scarl scrl sau sci selarl gbr partg publ na
    aktiengesellschaft aktiebolag aktieselskab aksjeselskap osakeyhtio anpartsselskab
    kommanditgesellschaft limitada
    ооо оао зао пао ао нао ип тоо чп пат прат тов
    ooo oao zao pao pjsc ojsc cjsc jsc
    株式会社 有限会社 合同会社 주식회사 주 유한회사
    """
)

# Legal forms written as several tokens once dots and spaces are normalised.
MULTI_TOKEN_LEGAL_FORMS: tuple[tuple[str, ...], ...] = tuple(
    sorted(
        (
            tuple(form.split())
            for form in (
                "s a",
                "s a s",
                "s p a",
                "s r l",
                "s l",
                "b v",
                "n v",
                "l l c",
                "l l p",
                "l p",
                "p l c",
                "a g",
                "a s",
                "a b",
                "k k",
                "s r o",
                "spol s r o",
                "spol s ro",
                "spol sro",
                "sp zoo",
                "s ro",
                "sp z oo",
                "sp z o o",
                "d o o",
                "sa de cv",
                "s a de c v",
                "de cv",
                "de c v",
                "s de rl",
                "s de rl de cv",
                "s de r l",
                "sa b de cv",
                "public limited company",
                "limited liability company",
                "limited liability partnership",
                "national association",
                "societa per azioni",
                "societa a responsabilita limitata",
                "soc coop",
                "private limited",
                "and company",
                "proprietary limited",
                "kabushiki kaisha",
                "godo kaisha",
                "yugen kaisha",
                "gesellschaft mit beschrankter haftung",
                "naamloze vennootschap",
                "besloten vennootschap",
                "societe anonyme",
                "sociedad anonima",
                "sociedade anonima",
                "societa a responsabilita limitata",
                "sociedad limitada",
                "spolka akcyjna",
            )
        ),
        key=len,
        reverse=True,
    )
)

# Legal forms that come first in some languages ("ООО Ромашка", "PT Astra").
LEADING_LEGAL_FORMS: frozenset[str] = _wordset(
    "ооо оао зао пао ао нао ип тоо чп пат прат тов ooo oao zao pao pt 株式会社 주식회사 주"
)
LEADING_WORDS: frozenset[str] = frozenset({"the"})

# Chinese and Japanese legal forms are written without spaces, as suffixes.
CJK_LEGAL_SUFFIXES: tuple[str, ...] = tuple(
    sorted(
        (
            "集团股份有限公司",
            "股份有限公司",
            "有限责任公司",
            "有限責任公司",
            "集团有限公司",
            "有限公司",
            "株式会社",
            "有限会社",
            "合同会社",
            "公司",
        ),
        key=len,
        reverse=True,
    )
)
CJK_LEGAL_PREFIXES: tuple[str, ...] = ("株式会社", "有限会社")

# Words that often come and go in one company's name ("Acme Group", "Acme").
WEAK_WORDS: frozenset[str] = _wordset(
    "the and of group holdings international global worldwide enterprises company"
)

# Latin letters that do not decompose into a base letter and an accent.
_LATIN_SPECIAL = str.maketrans(
    {"ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i"}
)

CYRILLIC_TO_LATIN: dict[str, str] = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
    "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
    "я": "ya", "і": "i", "ї": "yi", "є": "ye", "ґ": "g",
}  # fmt: skip
_CYRILLIC_TABLE = str.maketrans(CYRILLIC_TO_LATIN)

# Registries append the state or country of incorporation, and flags such as
# "new" or "ADR", after a slash: "HORTON D R INC /DE/", "CORNING INC /NY",
# "WELLS FARGO & COMPANY/MN", "VERTEX PHARMACEUTICALS INC / MA", "LTD./ADR".
_REGISTRY_CODES = (
    "al ak az ar ca co ct de dc fl ga hi id il in ia ks ky la me md ma mi mn ms mo mt ne nv nh "
    "nj nm ny nc nd oh ok or pa pr ri sc sd tn tx ut vt va wa wv wi wy ab bc mb nb nl ns on pe "
    "qc sk can uk fi new adr"
)
_REGISTRY_SUFFIX = re.compile(
    rf"(?:\s*/\s*(?:(?:{'|'.join(_REGISTRY_CODES.split())})\b\s*/?)?\s*)+$", re.IGNORECASE
)
# Notes in brackets that say nothing about the company: "Coca-Cola Company (The)",
# "Alphabet Inc. (Class A)", "Hexatronic Group AB (publ)".
_BRACKETED_NOTE = re.compile(r"\(\s*(?:the|class [a-z]|publ|new)\s*\)", re.IGNORECASE)
# Any other one-word flag a registry appends after a slash, where a legal form or
# a space comes before it: "ATS CORP /ATS", "Alight, Inc. / Delaware", "LTD/CN".
_SLASH_FLAG = re.compile(r"(\s?)/\s*[a-z]{2,12}\s*/?\s*$", re.IGNORECASE)
_FORM_BEFORE_FLAG = re.compile(r"\b(?:inc|corp|co|ltd|llc|plc|lp|sa|nv|ag|se)\.?$", re.IGNORECASE)
# A site or plant named after the company's name: "Acme GmbH - Duisburg plant".
_SITE_SUFFIX = re.compile(
    r"\s+[-\u2013\u2014]\s+[^-\u2013\u2014()]{0,40}?\b(?:plant|site|office|branch|factory|"
    r"warehouse|depot|facility|works|mill|hq|headquarters)\.?\s*$",
    re.IGNORECASE,
)
# "Doing business as": the name that follows is the one people use.
_DBA_PREFIX = re.compile(r"^\s*d\s*/\s*b\s*/\s*a\s+", re.IGNORECASE)
# What a stock list appends to the issuer's name about the security, not the company:
# "Nomura Holdings Inc ADR", "UBS Group AG Registered", "Klaviyo, Inc. Series A".
SECURITY_NOTES: frozenset[str] = _wordset(
    "adr adrs ads gdr sponsored unsponsored registered voting subordinate sub vot reit new"
)
_SECURITY_NOTE_PAIRS = frozenset({"class", "series"})  # followed by a letter
# Legal forms written in full or as a longer abbreviation: one canonical form, so
# that "Aktiengesellschaft" and "AG" are the same legal form.
LEGAL_FORM_CANONICAL: dict[str, str] = {
    "aktiengesellschaft": "ag",
    "aktiebolag": "ab",
    "aktieselskab": "as",
    "aksjeselskap": "as",
    "osakeyhtio": "oy",
    "kommanditgesellschaft": "kg",
    "limitada": "ltda",
    "proprietary limited": "pty limited",
    "kabushiki kaisha": "kk",
    "godo kaisha": "gk",
    "yugen kaisha": "yk",
    "gesellschaft mit beschrankter haftung": "gmbh",
    "naamloze vennootschap": "nv",
    "besloten vennootschap": "bv",
    "societe anonyme": "sa",
    "sociedad anonima": "sa",
    "sociedade anonima": "sa",
    "societa per azioni": "spa",
    "societa a responsabilita limitata": "srl",
    "sociedad limitada": "sl",
    "spolka akcyjna": "sa",
    "public limited company": "plc",
    "private limited": "pvt limited",
    "limited liability company": "llc",
    "limited liability partnership": "llp",
    "national association": "na",
}
_WEB_SUFFIX = re.compile(r"\b([\w-]+)\.(?:com|net|org|io|co|biz|info)\b")
_SINGLE_LETTER_DOT = re.compile(r"\b(\w)\.")
_CO_OP = re.compile(r"\bco-op")  # "co-operative" is one word, not "company operative"
_APOSTROPHES = re.compile(r"['’`´]")
_NON_WORD = re.compile(r"[\W_]+")


@dataclass(frozen=True, slots=True)
class NameParts:
    core: str
    legal_form: str
    full: str
    notes: str = ""  # words in brackets: a note to the name ("(Canada)", "(DE)", "(Wien)")


def _strip_latin_accents(text: str) -> str:
    if text.isascii():
        return text
    text = text.translate(_LATIN_SPECIAL)
    kept: list[str] = []
    base_is_latin = False
    for char in unicodedata.normalize("NFD", text):
        if unicodedata.combining(char):
            # The breve of "й" is part of a Cyrillic letter, not an accent.
            if not base_is_latin:
                kept.append(char)
            continue
        base_is_latin = char < "\u0250" or "\u1e00" <= char <= "\u1eff"
        kept.append(char)
    return unicodedata.normalize("NFC", "".join(kept))


def _strip_slash_flag(text: str) -> str:
    found = _SLASH_FLAG.search(text)
    if found and (found.group(1) or _FORM_BEFORE_FLAG.search(text[: found.start()])):
        return text[: found.start()]
    return text


def _clean_tokens(text: str) -> list[str]:
    # Each pattern is tried only where its mark is in the name: most names have none.
    text = unicodedata.normalize("NFKC", text)
    if "-" in text or "\u2013" in text or "\u2014" in text:
        text = _SITE_SUFFIX.sub("", text)
    if "(" in text:
        text = _BRACKETED_NOTE.sub(" ", text)
    if "/" in text:
        text = _strip_slash_flag(_REGISTRY_SUFFIX.sub("", _DBA_PREFIX.sub("", text)).rstrip())
    text = text.casefold()
    if "&" in text or "+" in text:
        text = text.replace("&", " and ").replace("+", " and ")
    if "." in text:
        text = _WEB_SUFFIX.sub(r"\1", text)
        # "S.p.A." and "B.V." lose their dots; other dots separate words.
        text = _SINGLE_LETTER_DOT.sub(r"\1", _APOSTROPHES.sub("", _CO_OP.sub("coop", text)))
    else:
        text = _APOSTROPHES.sub("", _CO_OP.sub("coop", text))
    text = _strip_latin_accents(text)
    tokens = _join_single_letters(_NON_WORD.sub(" ", text).split())
    tokens = [ABBREVIATIONS.get(token, token) for token in tokens]
    return _ending_typos_fixed(_said_once(tokens))


def _said_once(tokens: list[str]) -> list[str]:
    """A name written twice in one field ("Ternium S.A. Ternium S.A.") is said once."""
    half = len(tokens) // 2
    if half and len(tokens) % 2 == 0 and tokens[:half] == tokens[half:]:
        return tokens[:half]
    return tokens


# Legal forms and generic words long enough that a slip in them is still them,
# by first letter (a slip never changes the first letter here).
_TYPO_CHECKED_WORDS: dict[str, tuple[str, ...]] = {}
for _word in sorted(
    _wordset(
        "incorporated corporation company limited proprietary aktiengesellschaft "
        "aktiebolag gesellschaft group holdings international industries services "
        "enterprises"
    )
):
    _TYPO_CHECKED_WORDS[_word[0]] = (*_TYPO_CHECKED_WORDS.get(_word[0], ()), _word)
_ENDING_WORDS_CHECKED = 4


def _ending_typos_fixed(tokens: list[str]) -> list[str]:
    """A slip in a legal form or generic word at the end ("Corporatioon", "Limitde",
    "Gropu") is that word: it says nothing about which company it is."""
    fixed = tokens
    for index in range(max(1, len(tokens) - _ENDING_WORDS_CHECKED), len(tokens)):
        token = tokens[index]
        words = _TYPO_CHECKED_WORDS.get(token[0], ())
        if not words or len(token) < 4 or token in LEGAL_FORMS or token in WEAK_WORDS:
            continue
        for word in words:
            # One slip only: two make other words ("industrial", "industries").
            if abs(len(token) - len(word)) <= 1 and OSA.distance(token, word, score_cutoff=1) <= 1:
                fixed = fixed if fixed is not tokens else list(tokens)
                fixed[index] = word
                break
    return fixed


def _strip_security_notes(tokens: list[str]) -> None:
    while len(tokens) > 1:
        if tokens[-1] in SECURITY_NOTES:
            tokens.pop()
        elif len(tokens) > 2 and len(tokens[-1]) == 1 and tokens[-2] in _SECURITY_NOTE_PAIRS:
            del tokens[-2:]
        elif len(tokens) > 2 and len(tokens[-1]) == 1 and tokens[-2] in LEGAL_FORMS:
            tokens.pop()  # a share class after the legal form: "Noble Corporation plc A"
        else:
            return


def _join_single_letters(tokens: list[str]) -> list[str]:
    """ "S A" and "B V" are one word: "sa", "bv", like "S.A." and "B.V."."""
    joined: list[str] = []
    run = ""
    for token in [*tokens, ""]:
        if len(token) == 1 and token.isascii() and token.isalpha():
            run += token
            continue
        if run:
            joined.append(run)
            run = ""
        if token:
            joined.append(token)
    return joined


def _strip_cjk_legal_form(token: str) -> tuple[str, str]:
    for prefix in CJK_LEGAL_PREFIXES:
        if token.startswith(prefix) and len(token) > len(prefix):
            return token[len(prefix) :], prefix
    for suffix in CJK_LEGAL_SUFFIXES:
        if token.endswith(suffix) and len(token) > len(suffix):
            return token[: -len(suffix)], suffix
    return token, ""


_MULTI_FORMS_BY_LAST: dict[str, list[tuple[str, ...]]] = {}
for _form in MULTI_TOKEN_LEGAL_FORMS:
    _MULTI_FORMS_BY_LAST.setdefault(_form[-1], []).append(_form)


def _strip_trailing_forms(tokens: list[str]) -> list[str]:
    removed: list[str] = []
    while len(tokens) > 1:
        for form in _MULTI_FORMS_BY_LAST.get(tokens[-1], ()):
            size = len(form)
            if len(tokens) > size and tuple(tokens[-size:]) == form:
                removed[:0] = tokens[-size:]
                del tokens[-size:]
                break
        else:
            last = tokens[-1]
            if last in LEGAL_FORMS or (last == "and" and removed):
                removed.insert(0, tokens.pop())
                continue
            stripped, form = ("", "") if last.isascii() else _strip_cjk_legal_form(last)
            if form:
                tokens[-1] = stripped
                removed.insert(0, form)
            break
    return removed


_BRACKETED = re.compile(r"\(([^()]*)\)")


def _note_words(name: str) -> str:
    """Words in brackets, cleaned as the name's own words are."""
    notes = _BRACKETED.findall(_BRACKETED_NOTE.sub(" ", unicodedata.normalize("NFKC", name)))
    return " ".join(word for note in notes for word in _clean_tokens(note))


def split_name(name: str) -> NameParts:
    """The name without its legal form, the legal form, the full cleaned name and
    the words of its notes in brackets."""
    tokens = _clean_tokens(name or "")
    full = " ".join(tokens)
    removed: list[str] = []
    while len(tokens) > 1 and (tokens[0] in LEADING_LEGAL_FORMS or tokens[0] in LEADING_WORDS):
        word = tokens.pop(0)
        if word in LEADING_LEGAL_FORMS:
            removed.append(word)
    if len(tokens) > 1 and tokens[-1] in LEADING_WORDS:  # "Clearwater Group, The"
        tokens.pop()
    _strip_security_notes(tokens)
    removed.extend(_strip_trailing_forms(tokens))
    _strip_security_notes(tokens)
    if len(tokens) == 1:
        tokens[0], form = _strip_cjk_legal_form(tokens[0])
        if form:
            removed.append(form)
    form = " ".join(removed)
    core = " ".join(tokens)
    notes = _note_words(name) if "(" in (name or "") else ""
    return NameParts(core=core, legal_form=_canonical_form(form), full=full, notes=notes)


def _canonical_form(form: str) -> str:
    for long, short in LEGAL_FORM_CANONICAL.items():
        if long in form:
            form = form.replace(long, short)
    return form


def normalize_name(name: str) -> str:
    return split_name(name).core


def transliterate(text: str) -> str:
    """Cyrillic letters in Latin script, so "Газпром" compares with "Gazprom"."""
    if text.isascii():
        return text
    return text.translate(_CYRILLIC_TABLE)


def name_key(normalized: str) -> str:
    """Tokens in Latin script and sorted: insensitive to word order."""
    return " ".join(sorted(transliterate(normalized).split()))


def strong_name_key(normalized: str) -> str:
    """The sorted name without weak words like "group" or "international"."""
    tokens = transliterate(normalized).split()
    strong = [token for token in tokens if token not in WEAK_WORDS]
    return " ".join(sorted(strong or tokens))


# Domains that belong to a provider, not to the company that uses them.
FREE_MAIL_DOMAINS: frozenset[str] = _wordset(
    """
    gmail.com googlemail.com outlook.com hotmail.com hotmail.co.uk hotmail.fr live.com msn.com
    yahoo.com yahoo.co.uk yahoo.fr yahoo.de yahoo.co.jp yahoo.com.br ymail.com rocketmail.com
    aol.com icloud.com me.com mac.com proton.me protonmail.com pm.me gmx.de gmx.net gmx.com
    web.de t-online.de freenet.de mail.com email.com zoho.com yandex.ru yandex.com ya.ru
    mail.ru bk.ru list.ru inbox.ru rambler.ru qq.com 163.com 126.com yeah.net sina.com
    sina.cn sohu.com aliyun.com naver.com hanmail.net daum.net orange.fr free.fr laposte.net
    wanadoo.fr sfr.fr libero.it virgilio.it tiscali.it seznam.cz wp.pl o2.pl interia.pl
    onet.pl rediffmail.com fastmail.com hey.com tutanota.com uol.com.br bol.com.br
    """
)
SHARED_HOST_DOMAINS: frozenset[str] = _wordset(
    """
    facebook.com linkedin.com twitter.com x.com instagram.com youtube.com wixsite.com
    blogspot.com wordpress.com github.io sites.google.com google.com business.site
    squarespace.com weebly.com godaddysites.com
    """
)
# Second-level labels under which companies register (acme.co.uk, acme.com.au).
SECOND_LEVEL_SUFFIXES: frozenset[str] = _wordset(
    """
    co.uk org.uk ac.uk gov.uk me.uk ltd.uk plc.uk com.au net.au org.au co.nz org.nz co.jp
    or.jp ne.jp ac.jp co.kr or.kr com.cn net.cn org.cn com.hk com.tw com.sg com.my co.id
    co.in net.in org.in co.za com.br com.mx com.ar com.co com.tr com.ua com.pl co.il
    com.sa com.eg co.th com.ph com.vn com.pe com.ng co.ke spb.ru msk.ru
    """
)

_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://")
_PORT = re.compile(r":\d*$")
_WWW = re.compile(r"^www\d*\.")
_IPV4 = re.compile(r"^\d{1,3}(?:\.\d{1,3}){3}$")
_LABEL = re.compile(r"^[\w-]+$")


def _decode_idna(host: str) -> str:
    if "xn--" not in host:
        return host
    try:
        return host.encode("ascii").decode("idna")
    except UnicodeError:
        return host


def normalize_domain(value: str) -> str:
    """The registrable domain of a website or e-mail address; "" when it says nothing."""
    text = unicodedata.normalize("NFKC", (value or "").strip()).casefold()
    text = text.removeprefix("mailto:")
    text = _SCHEME.sub("", text)
    text = re.split(r"[/?#\s]", text, maxsplit=1)[0]
    text = text.rsplit("@", 1)[-1]
    text = _WWW.sub("", _PORT.sub("", text).strip("."))
    text = _decode_idna(text)
    labels = text.split(".")
    if len(labels) < 2 or _IPV4.match(text) or not all(_LABEL.match(x) for x in labels):
        return ""
    size = 3 if len(labels) >= 3 and ".".join(labels[-2:]) in SECOND_LEVEL_SUFFIXES else 2
    domain = ".".join(labels[-size:])
    if domain in FREE_MAIL_DOMAINS or domain in SHARED_HOST_DOMAINS or text in SHARED_HOST_DOMAINS:
        return ""
    return domain


def domain_label(domain: str) -> str:
    """The company's own label: "acme" for acme.com, acme.de and acme.co.uk."""
    return domain.split(".", 1)[0] if domain else ""


def normalize_duns(value: str) -> str:
    digits = re.sub(r"\D", "", value or "")
    if len(digits) == 13:  # DUNS+4: the last four digits name a site within it
        digits = digits[:9]
    if len(digits) == 8:  # a leading zero lost in a spreadsheet
        digits = "0" + digits
    return digits if len(digits) == 9 and digits.strip("0") else ""


# VAT numbers carry their country as a prefix; Greece uses EL, not GR.
_VAT_PREFIX_OF_COUNTRY = {"GR": "EL"}


def normalize_vat(value: str, country: str = "") -> str:
    text = re.sub(r"[^0-9A-Za-z]", "", unicodedata.normalize("NFKC", value or "")).upper()
    if not text:
        return ""
    if not text[:2].isalpha() and len(country) == 2:
        text = _VAT_PREFIX_OF_COUNTRY.get(country.upper(), country.upper()) + text
    return text if 6 <= len(text) <= 16 and any(c.isdigit() for c in text) else ""


def _lei_checksum_ok(lei: str) -> bool:
    # ISO 17442 uses ISO 7064 MOD 97-10, like an IBAN.
    digits = "".join(str(int(char, 36)) for char in lei)
    return int(digits) % 97 == 1


def normalize_lei(value: str) -> str:
    text = re.sub(r"[^0-9A-Za-z]", "", value or "").upper()
    return text if len(text) == 20 and _lei_checksum_ok(text) else ""


def normalize_registration(kind: str, value: str, *, country: str = "") -> str:
    """A registration number in canonical form ("" when absent or malformed)."""
    if kind == "duns":
        return normalize_duns(value)
    if kind == "vat":
        return normalize_vat(value, country)
    if kind == "lei":
        return normalize_lei(value)
    raise ValueError(f"unknown registration kind {kind!r}")


COUNTRY_ALIASES: dict[str, str] = {"UK": "GB", "EL": "GR"}

CITY_ALIASES: dict[str, str] = {
    "munchen": "munich",
    "koln": "cologne",
    "wien": "vienna",
    "praha": "prague",
    "roma": "rome",
    "milano": "milan",
    "torino": "turin",
    "napoli": "naples",
    "firenze": "florence",
    "lisboa": "lisbon",
    "warszawa": "warsaw",
    "krakow": "cracow",
    "geneve": "geneva",
    "genf": "geneva",
    "zurich": "zurich",
    "bruxelles": "brussels",
    "brussel": "brussels",
    "kobenhavn": "copenhagen",
    "goteborg": "gothenburg",
    "den haag": "the hague",
    "s gravenhage": "the hague",
    "москва": "moscow",
    "moskva": "moscow",
    "санкт петербург": "saint petersburg",
    "st petersburg": "saint petersburg",
    "sankt peterburg": "saint petersburg",
    "киев": "kyiv",
    "київ": "kyiv",
    "kiev": "kyiv",
    "北京": "beijing",
    "上海": "shanghai",
    "深圳": "shenzhen",
    "東京": "tokyo",
    "东京": "tokyo",
    "new york city": "new york",
    "nyc": "new york",
    "ny": "new york",
    "sao paulo": "sao paulo",
    "mexico df": "mexico city",
    "ciudad de mexico": "mexico city",
}


def normalize_country(value: str) -> str:
    code = (value or "").strip().upper()
    return COUNTRY_ALIASES.get(code, code) if len(code) == 2 and code.isalpha() else ""


def normalize_city(value: str) -> str:
    text = " ".join(_NON_WORD.sub(" ", _strip_latin_accents((value or "").casefold())).split())
    text = text.removesuffix("市") if len(text) > 2 else text
    return CITY_ALIASES.get(text, text)
