"""Deals stored before currencies were tracked were in the program's reporting currency."""

from django.db import migrations
from django.db.models import F


def fill(apps, schema_editor):
    Opportunity = apps.get_model("tracker", "Opportunity")
    for merger_id, code in apps.get_model("accounts", "Merger").objects.values_list(
        "pk", "reporting_currency"
    ):
        Opportunity.objects.filter(merger_id=merger_id, currency="").update(
            currency=code, amount_original=F("amount")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0014_opportunity_currency"),
        ("accounts", "0015_fill_original_amounts"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
