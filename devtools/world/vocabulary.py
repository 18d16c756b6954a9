"""Words generated programs build names, places and texts from (data, not interface text)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Country:
    code: str
    region: str
    cities: tuple[str, ...]
    suffixes: tuple[str, ...]
    vat_prefix: str  # empty where the demo does not issue VAT numbers
    tld: str


NORTH_AMERICA = "North America"
EMEA = "EMEA"
APAC = "APAC"
LATAM = "LATAM"
REGIONS = (NORTH_AMERICA, EMEA, APAC, LATAM)

# Employees of a company in each size band.
SIZE_BANDS: dict[str, tuple[int, int]] = {
    "Enterprise": (5000, 120000),
    "Mid-market": (500, 4999),
    "Small": (50, 499),
}

# Syllables of invented brands ("Valtor", "Kalo"): many, so that brands rarely repeat.
SYLLABLES: tuple[str, ...] = (
    "ka", "lo", "ven", "tor", "mi", "sa", "rex", "dan", "bel", "gor", "ta", "ri", "no", "vel",
    "mar", "quin", "dor", "fel", "zan", "ol", "ce", "pra", "stra", "lum", "bra", "cor", "ner",
    "vis", "tal", "den", "gri", "ho", "ax", "ly", "em", "or", "ul", "tec", "nor", "sen", "var",
    "kel", "mon", "bu", "fi", "jo", "pe", "wy", "zu", "dra", "kro", "plu", "sho", "tri", "vak",
    "yel", "gam", "hul", "bix", "cav", "dun", "eph", "fro",
)  # fmt: skip

COUNTRIES: dict[str, Country] = {
    c.code: c
    for c in (
        Country(
            "US",
            NORTH_AMERICA,
            (
                "Houston",
                "Chicago",
                "Detroit",
                "Pittsburgh",
                "Cleveland",
                "Milwaukee",
                "Charlotte",
                "Tulsa",
                "Baton Rouge",
                "Cincinnati",
                "Minneapolis",
                "Denver",
            ),
            ("Inc.", "Corp.", "LLC", "Co."),
            "",
            "com",
        ),
        Country(
            "CA",
            NORTH_AMERICA,
            ("Calgary", "Toronto", "Edmonton", "Montréal", "Hamilton"),
            ("Inc.", "Ltd.", "Corp."),
            "",
            "ca",
        ),
        Country(
            "MX",
            NORTH_AMERICA,
            ("Monterrey", "Querétaro", "Saltillo", "Puebla"),
            ("S.A. de C.V.",),
            "",
            "com.mx",
        ),
        Country(
            "GB",
            EMEA,
            ("Sheffield", "Aberdeen", "Birmingham", "Manchester", "Leeds"),
            ("Ltd", "plc"),
            "GB",
            "co.uk",
        ),
        Country(
            "DE",
            EMEA,
            (
                "Stuttgart",
                "Duisburg",
                "Ludwigshafen",
                "Essen",
                "Hamburg",
                "München",
                "Köln",
                "Leverkusen",
            ),
            ("GmbH", "AG", "GmbH & Co. KG"),
            "DE",
            "de",
        ),
        Country("AT", EMEA, ("Linz", "Graz", "Wien"), ("GmbH", "AG"), "ATU", "at"),
        Country("CH", EMEA, ("Basel", "Zürich", "Winterthur"), ("AG", "SA", "GmbH"), "CHE", "ch"),
        Country(
            "FR",
            EMEA,
            ("Lyon", "Grenoble", "Lille", "Toulouse", "Dunkerque"),
            ("SA", "SAS"),
            "FR",
            "fr",
        ),
        Country(
            "IT",
            EMEA,
            ("Milano", "Torino", "Brescia", "Bergamo", "Ravenna"),
            ("S.p.A.", "S.r.l."),
            "IT",
            "it",
        ),
        Country(
            "ES",
            EMEA,
            ("Bilbao", "Tarragona", "Valencia", "Zaragoza"),
            ("S.A.", "S.L."),
            "ES",
            "es",
        ),
        Country(
            "NL", EMEA, ("Rotterdam", "Eindhoven", "Delft", "Geleen"), ("B.V.", "N.V."), "NL", "nl"
        ),
        Country("SE", EMEA, ("Göteborg", "Luleå", "Västerås"), ("AB",), "SE", "se"),
        Country(
            "PL",
            EMEA,
            ("Katowice", "Gdańsk", "Wrocław", "Płock"),
            ("Sp. z o.o.", "S.A."),
            "PL",
            "pl",
        ),
        Country("NO", EMEA, ("Stavanger", "Bergen"), ("AS", "ASA"), "NO", "no"),
        Country("KZ", EMEA, ("Алматы", "Атырау"), ("ООО",), "", "kz"),
        Country(
            "AU", APAC, ("Perth", "Brisbane", "Newcastle", "Adelaide"), ("Pty Ltd",), "", "com.au"
        ),
        Country(
            "CN", APAC, ("Shanghai", "Tianjin", "Shenzhen", "Suzhou"), ("Co., Ltd.",), "", "cn"
        ),
        Country("JP", APAC, ("Osaka", "Nagoya", "Kawasaki"), ("K.K.", "Co., Ltd."), "", "jp"),
        Country("KR", APAC, ("Ulsan", "Pohang", "Changwon"), ("Co., Ltd.",), "", "kr"),
        Country(
            "IN",
            APAC,
            ("Pune", "Chennai", "Vadodara", "Jamshedpur"),
            ("Pvt. Ltd.", "Ltd."),
            "",
            "in",
        ),
        Country("SG", APAC, ("Singapore",), ("Pte. Ltd.",), "", "sg"),
        Country(
            "BR",
            LATAM,
            ("São Paulo", "Belo Horizonte", "Campinas"),
            ("Ltda.", "S.A."),
            "",
            "com.br",
        ),
        Country("CL", LATAM, ("Antofagasta", "Santiago"), ("S.A.",), "", "cl"),
        Country("PE", LATAM, ("Lima", "Arequipa"), ("S.A.C.",), "", "pe"),
        Country("CO", LATAM, ("Medellín", "Bogotá"), ("S.A.S.",), "", "com.co"),
    )
}

# Weighted countries per region: where the demo's accounts sit.
REGION_COUNTRIES: dict[str, tuple[tuple[str, int], ...]] = {
    NORTH_AMERICA: (("US", 80), ("CA", 14), ("MX", 6)),
    EMEA: (
        ("DE", 22),
        ("GB", 14),
        ("FR", 10),
        ("IT", 10),
        ("NL", 8),
        ("ES", 7),
        ("SE", 6),
        ("PL", 6),
        ("CH", 5),
        ("AT", 5),
        ("NO", 5),
    ),
    APAC: (("AU", 25), ("CN", 22), ("IN", 18), ("JP", 14), ("KR", 12), ("SG", 9)),
    LATAM: (("BR", 40), ("CL", 25), ("PE", 15), ("CO", 20)),
}

# Suffixes that mean the same thing spelled another way (how two CRMs differ).
SUFFIX_VARIANTS: dict[str, tuple[str, ...]] = {
    "Inc.": ("Inc", "Incorporated", "INC"),
    "Corp.": ("Corp", "Corporation"),
    "LLC": ("L.L.C.", "llc"),
    "Co.": ("Company", "Co"),
    "Ltd": ("Limited", "Ltd."),
    "Ltd.": ("Ltd", "Limited"),
    "plc": ("PLC", "Public Limited Company"),
    "GmbH": ("Gmbh", "G.m.b.H."),
    "AG": ("Aktiengesellschaft",),
    "GmbH & Co. KG": ("GmbH & Co KG", "GmbH&Co.KG"),
    "SA": ("S.A.",),
    "SAS": ("S.A.S.",),
    "S.p.A.": ("SpA", "S.P.A."),
    "S.r.l.": ("Srl", "SRL"),
    "S.A.": ("SA",),
    "S.L.": ("SL",),
    "B.V.": ("BV", "B.V"),
    "N.V.": ("NV",),
    "AB": ("Aktiebolag",),
    "Sp. z o.o.": ("Sp.z o.o.", "sp. z o.o."),
    "AS": ("A/S",),
    "ASA": ("A.S.A.",),
    "Pty Ltd": ("Pty. Ltd.", "Proprietary Limited"),
    "Co., Ltd.": ("Co. Ltd", "Company Limited"),
    "K.K.": ("KK", "Kabushiki Kaisha"),
    "Pvt. Ltd.": ("Private Limited", "Pvt Ltd"),
    "Pte. Ltd.": ("Pte Ltd",),
    "Ltda.": ("Ltda",),
    "S.A. de C.V.": ("SA de CV",),
    "S.A.C.": ("SAC",),
    "S.A.S.": ("SAS",),
    "ООО": ("LLC", "OOO"),
}

ABBREVIATIONS: tuple[tuple[str, str], ...] = (
    ("International", "Intl"),
    ("Manufacturing", "Mfg."),
    ("Industries", "Inds."),
    ("Engineering", "Eng."),
    ("Technologies", "Tech."),
    ("Services", "Svcs"),
    ("Chemicals", "Chem."),
    (" and ", " & "),
    (" & ", " and "),
)

NAME_STEMS: tuple[str, ...] = (
    "Nordwerk",
    "Baltic",
    "Rhein",
    "Alpen",
    "Cascade",
    "Summit",
    "Ironbridge",
    "Redwood",
    "Lakeshore",
    "Keystone",
    "Granite",
    "Meridian",
    "Pioneer",
    "Atlas",
    "Orion",
    "Vulcan",
    "Helios",
    "Boreal",
    "Stirling",
    "Ashford",
    "Hartmann",
    "Brenner",
    "Vogel",
    "Kessler",
    "Lindqvist",
    "Castellano",
    "Moretti",
    "Delacroix",
    "Van der Berg",
    "Tanaka",
    "Lindholm",
    "Bluewater",
    "Northgate",
    "Silverline",
    "Copperfield",
    "Blackstone",
    "Eastfield",
    "Westbrook",
    "Highland",
    "Riverbend",
    "Prairie",
    "Coastal",
    "Frontier",
    "Sterling",
    "Beacon",
    "Harbor",
    "Clearwater",
    "Falcon",
    "Titan",
    "Apex",
    "Vertex",
    "Crestview",
    "Oakridge",
    "Pinecrest",
    "Sandoval",
    "Ferreira",
    "Kowalski",
    "Novak",
    "Jansen",
    "Bergstrom",
    "Haugen",
    "Rossi",
    "Marchetti",
    "Duval",
    "Lefebvre",
    "Schuster",
    "Wagner",
    "Kruger",
    "Bauer",
    "Lorenz",
    "Sakamoto",
    "Nakamura",
    "Kimura",
    "Park",
    "Han",
    "Mehta",
    "Iyer",
    "Kapoor",
    "Chen",
    "Zhou",
    "Okafor",
    "Mendes",
    "Carvalho",
    "Ortega",
    "Vargas",
    "Rojas",
    "Quantum",
    "Polaris",
    "Zenith",
    "Nova",
    "Aurora",
    "Sentinel",
    "Continental",
    "Union",
    "Central",
    "Pacific",
    "Atlantic",
    "Gulf",
    "Great Lakes",
    "Midland",
    "Southern",
    "Northern",
    "Eastern",
    "Western",
    "Allied",
    "United",
    "Premier",
    "Capital",
    "Heritage",
    "Liberty",
    "Patriot",
    "Emerald",
    "Sapphire",
    "Cobalt",
    "Onyx",
    "Basalt",
    "Quarry",
    "Ridgeway",
    "Stonebridge",
    "Millbrook",
    "Fairview",
    "Greenfield",
    "Brookside",
    "Kingsley",
    "Whitmore",
    "Thornton",
    "Halden",
    "Sorensen",
)

INDUSTRY_WORDS: dict[str, tuple[str, ...]] = {
    "Oil & gas": (
        "Petroleum",
        "Energy",
        "Midstream",
        "Pipeline",
        "Drilling",
        "Refining",
        "Offshore",
        "Oil and Gas",
    ),
    "Chemicals": (
        "Chemicals",
        "Polymers",
        "Specialty Chemicals",
        "Coatings",
        "Resins",
        "Chemical Industries",
    ),
    "Discrete manufacturing": (
        "Manufacturing",
        "Precision Components",
        "Machine Works",
        "Automotive Parts",
        "Industries",
        "Fabrication",
        "Tooling",
        "Engineering",
        "Motion Technologies",
    ),
    "Power & utilities": (
        "Power",
        "Energy Services",
        "Utilities",
        "Grid Services",
        "Renewables",
        "Generation",
    ),
    "Food & beverage": (
        "Foods",
        "Dairy",
        "Beverages",
        "Brewing",
        "Bakeries",
        "Food Processing",
        "Ingredients",
    ),
    "Mining & metals": ("Mining", "Metals", "Minerals", "Steel", "Resources", "Aluminium"),
    "Water & wastewater": (
        "Water",
        "Water Services",
        "Water Treatment",
        "Aguas",
        "Environmental Services",
    ),
    "Pharmaceuticals": ("Pharma", "Life Sciences", "Biologics"),
    "Logistics": ("Logistics", "Terminals", "Port Services"),
    "Pulp & paper": ("Paper", "Pulp", "Packaging", "Board Mills"),
}

NAME_QUALIFIERS: tuple[str, ...] = ("", "", "", "", "International", "Group", "Holdings")

# Customers whose names are not in Latin script or carry accents: (native or
# accented spelling, the other CRM's spelling, country, city, industry).
SPECIAL_NAMES: tuple[tuple[str, str, str, str, str], ...] = (
    ("ООО «Техносенсор»", "Tekhnosensor LLC", "KZ", "Алматы", "Discrete manufacturing"),
    ("ООО «Каспий Нефтесервис»", "Kaspiy Neftservis OOO", "KZ", "Атырау", "Oil & gas"),
    (
        "ООО «Энергомаш Инжиниринг»",
        "Energomash Engineering LLC",
        "KZ",
        "Алматы",
        "Power & utilities",
    ),
    (
        "上海精密仪器有限公司",
        "Shanghai Precision Instruments Co., Ltd.",
        "CN",
        "Shanghai",
        "Discrete manufacturing",
    ),
    (
        "天津海洋石油服务有限公司",
        "Tianjin Offshore Oil Services Co., Ltd.",
        "CN",
        "Tianjin",
        "Oil & gas",
    ),
    ("苏州华瑞化工有限公司", "Suzhou Huarui Chemical Co., Ltd.", "CN", "Suzhou", "Chemicals"),
    (
        "深圳智控电力有限公司",
        "Shenzhen Zhikong Power Co., Ltd.",
        "CN",
        "Shenzhen",
        "Power & utilities",
    ),
    (
        "Müller Präzisionstechnik GmbH",
        "Mueller Praezisionstechnik GmbH",
        "DE",
        "Stuttgart",
        "Discrete manufacturing",
    ),
    (
        "Société Lyonnaise d'Équipements SA",
        "Societe Lyonnaise d'Equipements",
        "FR",
        "Lyon",
        "Discrete manufacturing",
    ),
    ("Aciérie de Dunkerque SAS", "Acierie de Dunkerque", "FR", "Dunkerque", "Mining & metals"),
    ("Químicas del Ebro S.A.", "Quimicas del Ebro SA", "ES", "Tarragona", "Chemicals"),
    (
        "Łódzkie Zakłady Mechaniczne S.A.",
        "Lodzkie Zaklady Mechaniczne SA",
        "PL",
        "Wrocław",
        "Discrete manufacturing",
    ),
    ("Göteborgs Processteknik AB", "Goteborgs Processteknik AB", "SE", "Göteborg", "Chemicals"),
    ("Stålverket Luleå AB", "Stalverket Lulea AB", "SE", "Luleå", "Mining & metals"),
    (
        "Cerâmica Paulista Ltda.",
        "Ceramica Paulista Ltda",
        "BR",
        "São Paulo",
        "Discrete manufacturing",
    ),
    (
        "Compañía Minera Andina S.A.",
        "Compania Minera Andina",
        "CL",
        "Antofagasta",
        "Mining & metals",
    ),
    ("Brauerei Königsbräu AG", "Brauerei Koenigsbraeu AG", "DE", "München", "Food & beverage"),
    (
        "Laiterie Normande Coopérative SA",
        "Laiterie Normande Cooperative",
        "FR",
        "Lille",
        "Food & beverage",
    ),
)

DEPARTED_OWNERS: tuple[str, ...] = (
    "Brian Hollis",
    "Sandra Quist",
    "Peter Lang",
    "Maria Fonseca",
    "Hiro Sato",
    "Greg Whitaker",
    "Ines Duarte",
)

ASSETS: dict[str, tuple[str, ...]] = {
    "Oil & gas": ("compressors", "export pumps", "gas turbines", "injection pumps"),
    "Chemicals": ("agitators", "centrifugal pumps", "reactor mixers", "cooling fans"),
    "Discrete manufacturing": ("CNC spindles", "press lines", "conveyors", "robot gearboxes"),
    "Power & utilities": ("boiler feed pumps", "cooling-water pumps", "turbines", "transformers"),
    "Food & beverage": ("filling lines", "homogenisers", "refrigeration compressors", "conveyors"),
    "Mining & metals": ("crushers", "mill gearboxes", "conveyors", "slurry pumps"),
    "Water & wastewater": ("lift-station pumps", "aeration blowers", "dosing pumps"),
    "Pharmaceuticals": ("HVAC fans", "clean-room chillers", "tablet presses"),
    "Logistics": ("cranes", "conveyors", "reefer compressors"),
}

NEED_TEMPLATES: tuple[str, ...] = (
    "Unplanned downtime on {assets} at the {city} site cost them two shutdowns last year; "
    "they want early warning before failures.",
    "Maintenance manager wants to move {assets} from calendar-based to condition-based "
    "maintenance.",
    "Insurer asked for documented monitoring of {assets} before the renewal.",
    "New plant manager in {city} has a target to cut maintenance spend by 10%; {assets} are "
    "the biggest line item.",
    "Their reliability team exports sensor data to spreadsheets by hand; they asked for "
    "automatic alerts on {assets}.",
    "Expansion of the {city} plant adds {assets} that are not monitored yet.",
    "Audit finding: calibration records for {assets} are incomplete.",
    "Corporate digital program funds one predictive-maintenance pilot per site; {city} "
    "volunteered with its {assets}.",
)

THIN_NEEDS: tuple[str, ...] = ("tbd", ".", "upsell", "cross-sell", "n/a")

BURST_NEED = "Cross-sell opportunity"

NEXT_STEPS: tuple[str, ...] = (
    "Site walk-down with the maintenance manager",
    "Send the proposal",
    "Pilot on ten critical assets",
    "IT security review of the edge connector",
    "Call with procurement",
    "Technical workshop with the reliability team",
    "Share the reference case from a similar plant",
    "Confirm the budget owner",
)

LOST_REASONS: tuple[tuple[str, int], ...] = (
    ("No budget this fiscal year", 24),
    ("Chose a competitor", 18),
    ("Existing in-house solution", 12),
    ("No access to the decision maker", 14),
    ("Timing: plant shutdown postponed", 10),
    ("Price", 12),
    ("IT security review failed", 5),
    ("Duplicate opportunity", 5),
)

OVERRIDE_REASONS: tuple[str, ...] = (
    "Customer agreed to a paid pilot; discount capped at 15%.",
    "Support load came from one faulty batch, fixed in Q2; tickets are back to normal.",
    "The credits were a one-off billing dispute, settled since.",
    "Strategic account for the segment; approved by the regional leader.",
)

REVIEW_NOTES: tuple[str, ...] = (
    "Pipeline coverage below 3x in two segments; leaders to add qualified opportunities "
    "before the next review. Celebrated the first Enterprise win in Chemicals EMEA.",
    "Won amount 18% behind target; specialist capacity is the bottleneck in North America. "
    "Agreed to move two Predikt specialists to the regional teams.",
    "Reviewed stale opportunities and the reopened deals flagged by supervision. Ordering "
    "Predikt products through the Sensa order desk now works end to end.",
)
