"""Canonical forms of the signals two CRMs hold about one customer.

Names lose what varies between data-entry habits but says nothing about who the
company is: case, accents on Latin letters, punctuation, "&" against "and",
abbreviations and legal-form suffixes in many languages (`vocabulary`,
`company_names`). Cyrillic and CJK letters are kept (a separate transliteration
lets scoring compare Cyrillic with Latin spellings). Domains are reduced to the
registrable domain, and free-mail providers never count as a company's domain
(`identifiers`).
"""

from accounts.matching.normalize.company_names import (
    name_key,
    normalize_name,
    split_name,
    strong_name_key,
    transliterate,
)
from accounts.matching.normalize.identifiers import (
    domain_label,
    normalize_domain,
    normalize_duns,
    normalize_lei,
    normalize_vat,
)
from accounts.matching.normalize.places import normalize_city, normalize_country
from accounts.matching.normalize.vocabulary import LEGAL_FORMS, WEAK_WORDS

__all__ = [
    "LEGAL_FORMS",
    "WEAK_WORDS",
    "domain_label",
    "name_key",
    "normalize_city",
    "normalize_country",
    "normalize_domain",
    "normalize_duns",
    "normalize_lei",
    "normalize_name",
    "normalize_vat",
    "split_name",
    "strong_name_key",
    "transliterate",
]
