"""A product's family belongs to the product's own company, checked by the database.

The whitespace rollups sum a family's cells by the family alone (its company is
the product's), so a product filed under another company's family would count
in the wrong company's totals. The API and the import check it; these triggers
make it hold for every write, on PostgreSQL and on SQLite.

Under concurrency (PostgreSQL): the product's check takes a share lock on its
family's row, and a family's company change locks that row before its own check
runs, so whichever commits second sees the other's write and is refused.
Rows written before this migration are not checked again.
"""

from django.db import migrations

MESSAGE = "the family of a product must belong to the company of the product"

POSTGRESQL = [
    f"""
CREATE FUNCTION accounts_product_family_of_its_company() RETURNS trigger AS $$
DECLARE
    family_company bigint;
BEGIN
    IF NEW.family_id IS NULL THEN
        RETURN NEW;
    END IF;
    SELECT company_id INTO family_company
      FROM accounts_productfamily WHERE id = NEW.family_id FOR SHARE;
    IF FOUND AND family_company <> NEW.company_id THEN
        RAISE EXCEPTION '{MESSAGE} (product %, family %)', NEW.id, NEW.family_id
              USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql
""",
    """
CREATE TRIGGER product_family_of_its_company
BEFORE INSERT OR UPDATE OF family_id, company_id ON accounts_product
FOR EACH ROW EXECUTE FUNCTION accounts_product_family_of_its_company()
""",
    f"""
CREATE FUNCTION accounts_family_keeps_its_products() RETURNS trigger AS $$
BEGIN
    IF EXISTS (
        SELECT 1 FROM accounts_product
         WHERE family_id = NEW.id AND company_id <> NEW.company_id
    ) THEN
        RAISE EXCEPTION '{MESSAGE} (family %)', NEW.id USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql
""",
    """
CREATE TRIGGER family_keeps_its_products
BEFORE INSERT OR UPDATE OF company_id ON accounts_productfamily
FOR EACH ROW EXECUTE FUNCTION accounts_family_keeps_its_products()
""",
]

POSTGRESQL_REVERSE = [
    "DROP TRIGGER IF EXISTS product_family_of_its_company ON accounts_product",
    "DROP FUNCTION IF EXISTS accounts_product_family_of_its_company()",
    "DROP TRIGGER IF EXISTS family_keeps_its_products ON accounts_productfamily",
    "DROP FUNCTION IF EXISTS accounts_family_keeps_its_products()",
]

_PRODUCT_CHECK = f"""
WHEN NEW.family_id IS NOT NULL AND EXISTS (
    SELECT 1 FROM accounts_productfamily
     WHERE id = NEW.family_id AND company_id <> NEW.company_id
)
BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END
"""

SQLITE = [
    "CREATE TRIGGER product_family_of_its_company_insert BEFORE INSERT ON accounts_product"
    + _PRODUCT_CHECK,
    "CREATE TRIGGER product_family_of_its_company_update"
    " BEFORE UPDATE OF family_id, company_id ON accounts_product" + _PRODUCT_CHECK,
    f"""
CREATE TRIGGER family_keeps_its_products
BEFORE UPDATE OF company_id ON accounts_productfamily
WHEN EXISTS (
    SELECT 1 FROM accounts_product WHERE family_id = NEW.id AND company_id <> NEW.company_id
)
BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END
""",
]

SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS product_family_of_its_company_insert",
    "DROP TRIGGER IF EXISTS product_family_of_its_company_update",
    "DROP TRIGGER IF EXISTS family_keeps_its_products",
]


class VendorSQL(migrations.RunSQL):
    """The SQL of the database the migration runs on."""

    def __init__(self, by_vendor: dict[str, tuple[list[str], list[str]]]) -> None:
        self.by_vendor = by_vendor
        super().__init__(sql=migrations.RunSQL.noop, reverse_sql=migrations.RunSQL.noop)

    def deconstruct(self):
        return self.__class__.__qualname__, [self.by_vendor], {}

    def _run(self, schema_editor, backwards: bool) -> None:
        forwards, reverse = self.by_vendor.get(schema_editor.connection.vendor, ([], []))
        for statement in reverse if backwards else forwards:
            schema_editor.execute(statement, params=None)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        self._run(schema_editor, backwards=False)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        self._run(schema_editor, backwards=True)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0030_account_segment_source_index")]

    operations = [
        VendorSQL(
            {
                "postgresql": (POSTGRESQL, POSTGRESQL_REVERSE),
                "sqlite": (SQLITE, SQLITE_REVERSE),
            }
        )
    ]
