"""Quotas, targets and comp plans stored before currencies were tracked were in the
program's reporting currency."""

from django.db import migrations
from django.db.models import F


def fill(apps, schema_editor):
    Quota = apps.get_model("tracker", "Quota")
    SynergyTarget = apps.get_model("tracker", "SynergyTarget")
    CompPlan = apps.get_model("tracker", "CompPlan")
    for merger_id, code in apps.get_model("accounts", "Merger").objects.values_list(
        "pk", "reporting_currency"
    ):
        Quota.objects.filter(rep__merger_id=merger_id, currency="").update(
            currency=code,
            core_amount_original=F("core_amount"),
            cross_sell_amount_original=F("cross_sell_amount"),
        )
        SynergyTarget.objects.filter(merger_id=merger_id, currency="").update(
            currency=code,
            revenue_synergy_original=F("revenue_synergy"),
            cross_sell_original=F("cross_sell"),
        )
        CompPlan.objects.filter(merger_id=merger_id, currency="").update(
            currency=code,
            target_variable_pay_original=F("target_variable_pay"),
            spif_amount_original=F("spif_amount"),
        )


class Migration(migrations.Migration):
    dependencies = [("tracker", "0019_money_currencies")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
