"""Words of company names: abbreviations, legal forms in many languages, weak words."""


def wordset(text: str) -> frozenset[str]:
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
LEGAL_FORMS: frozenset[str] = wordset(
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
LEADING_LEGAL_FORMS: frozenset[str] = wordset(
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
WEAK_WORDS: frozenset[str] = wordset(
    "the and of group holdings international global worldwide enterprises company"
)

CYRILLIC_TO_LATIN: dict[str, str] = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
    "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
    "я": "ya", "і": "i", "ї": "yi", "є": "ye", "ґ": "g",
}  # fmt: skip
# What a stock list appends to the issuer's name about the security, not the company:
# "Nomura Holdings Inc ADR", "UBS Group AG Registered", "Klaviyo, Inc. Series A".
SECURITY_NOTES: frozenset[str] = wordset(
    "adr adrs ads gdr sponsored unsponsored registered voting subordinate sub vot reit new"
)
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
