"""A customer the CRM flags without a holding is dated by the flag's first import, and its
status before that is not measured: the day kept on the account, read from the
customer-since index."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone


def date_flagged_customers(apps, schema_editor):
    """What accounts.services.overlap computes for the customers the CRM flags, on the
    models as they are here; the dates from holdings are already kept."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    RecordChange = apps.get_model("accounts", "RecordChange")
    SourceAccount = apps.get_model("accounts", "SourceAccount")
    UnifiedAccount = apps.get_model("accounts", "UnifiedAccount")
    records = SourceAccount.objects.filter(is_customer=True, unified__isnull=False)
    content_type = ContentType.objects.filter(app_label="accounts", model="sourceaccount").first()
    seen = "created_at"
    if content_type is not None:
        turned_on = (
            RecordChange.objects.filter(
                content_type=content_type,
                object_id=OuterRef("pk"),
                changes__is_customer__1__in=["True", "true"],
            )
            .order_by("-at")
            .values("at")[:1]
        )
        seen = Coalesce(Subquery(turned_on), "created_at")
    first: dict[int, list] = {}
    rows = records.annotate(seen=seen).values_list("unified_id", "company__role", "seen")
    for pk, role, when in rows.order_by().iterator():
        day, sides = timezone.localdate(when), first.setdefault(pk, [None, None])
        side = 0 if role == "acquirer" else 1
        sides[side] = day if sides[side] is None else min(sides[side], day)
    changed = []
    stored = UnifiedAccount.objects.filter(pk__in=list(first)).only(
        "pk", "acquirer_customer_since", "acquired_customer_since"
    )
    for account in stored.iterator():
        purchases = (account.acquirer_customer_since, account.acquired_customer_since)
        dated, unmeasured = [], []
        for purchase, flag in zip(purchases, first[account.pk], strict=True):
            by_flag = flag is not None and (purchase is None or flag < purchase)
            dated.append(flag if by_flag else purchase)
            if by_flag:
                unmeasured.append(flag)
        if not unmeasured:
            continue
        account.acquirer_customer_since, account.acquired_customer_since = dated
        account.status_measured_from = max(unmeasured)
        changed.append(account)
    # Small batches: bulk_update's CASE costs the square of its batch (see
    # accounts.services.overlap), and a large program's flagged customers are many.
    UnifiedAccount.objects.bulk_update(
        changed,
        ["acquirer_customer_since", "acquired_customer_since", "status_measured_from"],
        batch_size=100,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0033_customer_since_index_keeps_the_status"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="unifiedaccount",
            name="account_customer_since",
        ),
        migrations.AddField(
            model_name="unifiedaccount",
            name="status_measured_from",
            field=models.DateField(
                blank=True, editable=False, null=True, verbose_name="customer status measured from"
            ),
        ),
        migrations.RunPython(date_flagged_customers, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="unifiedaccount",
            index=models.Index(
                fields=[
                    "merger",
                    "acquirer_customer_since",
                    "acquired_customer_since",
                    "status_measured_from",
                    "status",
                ],
                name="account_customer_since",
            ),
        ),
        migrations.AddConstraint(
            model_name="unifiedaccount",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("status_measured_from__isnull", True),
                    ("status_measured_from", models.F("acquirer_customer_since")),
                    ("status_measured_from", models.F("acquired_customer_since")),
                    _connector="OR",
                ),
                name="account_measured_from_a_customer_since",
            ),
        ),
    ]
