"""Company names cleaned to what says who the company is: its core, legal form and notes."""

import re
import unicodedata
from dataclasses import dataclass

from rapidfuzz.distance import OSA

from accounts.matching.normalize.vocabulary import (
    ABBREVIATIONS,
    CJK_LEGAL_PREFIXES,
    CJK_LEGAL_SUFFIXES,
    CYRILLIC_TO_LATIN,
    LEADING_LEGAL_FORMS,
    LEADING_WORDS,
    LEGAL_FORM_CANONICAL,
    LEGAL_FORMS,
    MULTI_TOKEN_LEGAL_FORMS,
    SECURITY_NOTES,
    WEAK_WORDS,
    wordset,
)

# Latin letters that do not decompose into a base letter and an accent.
_LATIN_SPECIAL = str.maketrans(
    {"ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i"}
)
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
_SECURITY_NOTE_PAIRS = frozenset({"class", "series"})  # followed by a letter
_WEB_SUFFIX = re.compile(r"\b([\w-]+)\.(?:com|net|org|io|co|biz|info)\b")
_SINGLE_LETTER_DOT = re.compile(r"\b(\w)\.")
_CO_OP = re.compile(r"\bco-op")  # "co-operative" is one word, not "company operative"
_APOSTROPHES = re.compile(r"['’`´]")
NON_WORD = re.compile(r"[\W_]+")


@dataclass(frozen=True, slots=True)
class NameParts:
    core: str
    legal_form: str
    full: str
    notes: str = ""  # words in brackets: a note to the name ("(Canada)", "(DE)", "(Wien)")


def strip_latin_accents(text: str) -> str:
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
    text = strip_latin_accents(text)
    tokens = _join_single_letters(NON_WORD.sub(" ", text).split())
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
    wordset(
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
