from django.db import migrations, models
from django.db.models import Min, Q, Value
from django.db.models.functions import Coalesce


def fill_customer_since(apps, schema_editor):
    """What accounts.services.overlap computes, on the models as they are here."""
    Merger = apps.get_model("accounts", "Merger")
    Holding = apps.get_model("accounts", "Holding")
    UnifiedAccount = apps.get_model("accounts", "UnifiedAccount")
    for merger in Merger.objects.all():
        since = Coalesce("since", Value(merger.day_one))
        acquirer = Q(product__company__role="acquirer")
        rows = (
            Holding.objects.filter(account__unified__merger=merger)
            .values("account__unified_id")
            .annotate(first_a=Min(since, filter=acquirer), first_b=Min(since, filter=~acquirer))
            .values_list("account__unified_id", "first_a", "first_b")
            .order_by()
        )
        accounts = [
            UnifiedAccount(pk=pk, acquirer_customer_since=first_a, acquired_customer_since=first_b)
            for pk, first_a, first_b in rows.iterator()
        ]
        UnifiedAccount.objects.bulk_update(
            accounts, ["acquirer_customer_since", "acquired_customer_since"], batch_size=1000
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_account_segment_name_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="unifiedaccount",
            name="acquired_customer_since",
            field=models.DateField(
                blank=True,
                editable=False,
                null=True,
                verbose_name="customer of the acquired company since",
            ),
        ),
        migrations.AddField(
            model_name="unifiedaccount",
            name="acquirer_customer_since",
            field=models.DateField(
                blank=True,
                editable=False,
                null=True,
                verbose_name="customer of the acquirer since",
            ),
        ),
        migrations.RunPython(fill_customer_since, migrations.RunPython.noop),
    ]
