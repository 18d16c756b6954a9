"""A product's family belongs to the product's own company, checked by PostgreSQL.

The whitespace rollups sum a family's cells by the family alone (its company is
the product's), so a product filed under another company's family would count
in the wrong company's totals. `Product.clean` refuses it in the services,
naming the field; these triggers make it hold for every write on PostgreSQL.
SQLite gets no trigger: a trigger naming the other table would break the table
rebuilds its migrations do, so there the services are the only guard, as for
the credit-split sum.

Under concurrency: the product's check takes a share lock on its family's row,
and a family's company change locks that row before its own check runs, so
whichever commits second sees the other's write and is refused.

A product already filed under another company's family is taken out of it.
"""

from django.db import migrations
from django.db.models import F

from core.db.migrations import PostgresOnlySQL

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


def foreign_families_detach(apps, schema_editor) -> None:
    """Takes a product out of a family of another company, as the API would have refused."""
    product = apps.get_model("accounts", "Product")
    foreign = product.objects.filter(family__isnull=False).exclude(
        family__company_id=F("company_id")
    )
    foreign.update(family=None)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0030_account_segment_source_index")]

    operations = [
        migrations.RunPython(foreign_families_detach, migrations.RunPython.noop),
        PostgresOnlySQL(sql=POSTGRESQL, reverse_sql=POSTGRESQL_REVERSE),
    ]
