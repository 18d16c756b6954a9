"""The two companies' products and the product map that connects them.

The catalogue itself is in `data/catalogue.toml`, read once here.
"""

from dataclasses import dataclass, field

from devtools.world.datafile import datafile_read


@dataclass(frozen=True)
class CompanyDef:
    role: str
    name: str
    short_name: str
    crm: str
    email_domain: str


@dataclass(frozen=True)
class ProductDef:
    code: str
    name: str
    company: str
    family: str
    list_price: str
    deal: str
    cycle: str
    days: int
    # Share of the company's customers that own it (the large program spreads holdings
    # its own way).
    adoption: float = 0.0
    group: str = ""  # customers own at most one product of a group
    favoured_by: tuple[str, ...] = field(default=())  # industries that adopt it twice as often


@dataclass(frozen=True)
class MappingDef:
    source: str
    target: str
    relation: str
    reason: str
    validated: bool


_DATA = datafile_read(beside=__file__, name="catalogue.toml")

COMPANIES: tuple[CompanyDef, ...] = tuple(CompanyDef(**row) for row in _DATA["companies"])
PRODUCTS: tuple[ProductDef, ...] = tuple(
    ProductDef(**{**row, "favoured_by": tuple(row.get("favoured_by", ()))})
    for row in _DATA["products"]
)
PRODUCTS_BY_CODE: dict[str, ProductDef] = {p.code: p for p in PRODUCTS}
PRODUCT_MAP: tuple[MappingDef, ...] = tuple(MappingDef(**row) for row in _DATA["product_map"])
