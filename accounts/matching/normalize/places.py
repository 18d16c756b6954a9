from accounts.matching.normalize.company_names import NON_WORD, strip_latin_accents

"""Countries and cities written one way."""


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
    text = " ".join(NON_WORD.sub(" ", strip_latin_accents((value or "").casefold())).split())
    text = text.removesuffix("市") if len(text) > 2 else text
    return CITY_ALIASES.get(text, text)
