"""Domains and registry identifiers (DUNS, VAT, LEI) in one canonical form each.

Domains are reduced to the registrable domain, and free-mail providers never
count as a company's domain.
"""

import re
import unicodedata

from accounts.matching.normalize.vocabulary import wordset

# Domains that belong to a provider, not to the company that uses them.
FREE_MAIL_DOMAINS: frozenset[str] = wordset(
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
SHARED_HOST_DOMAINS: frozenset[str] = wordset(
    """
    facebook.com linkedin.com twitter.com x.com instagram.com youtube.com wixsite.com
    blogspot.com wordpress.com github.io sites.google.com google.com business.site
    squarespace.com weebly.com godaddysites.com
    """
)
# Second-level labels under which companies register (acme.co.uk, acme.com.au).
SECOND_LEVEL_SUFFIXES: frozenset[str] = wordset(
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
