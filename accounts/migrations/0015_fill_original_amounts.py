"""Amounts stored before currencies were tracked were all in the program's reporting
currency: they keep it, as entered and as reported alike."""

from django.db import migrations
from django.db.models import F


def fill(apps, schema_editor):
    SourceAccount = apps.get_model("accounts", "SourceAccount")
    Product = apps.get_model("accounts", "Product")
    Holding = apps.get_model("accounts", "Holding")
    # One update per program (a handful), not per row.
    for merger_id, code in apps.get_model("accounts", "Merger").objects.values_list(
        "pk", "reporting_currency"
    ):
        SourceAccount.objects.filter(company__merger_id=merger_id, currency="").update(
            currency=code,
            revenue_current_original=F("revenue_current"),
            revenue_prior_original=F("revenue_prior"),
            credits_returns_12m_original=F("credits_returns_12m"),
        )
        Product.objects.filter(company__merger_id=merger_id, currency="").update(
            currency=code,
            list_price_original=F("list_price"),
            typical_deal_size_original=F("typical_deal_size"),
        )
        Holding.objects.filter(account__company__merger_id=merger_id, currency="").update(
            currency=code, annual_revenue_original=F("annual_revenue")
        )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0014_currencies")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
