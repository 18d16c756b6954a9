"""Indexes that answer two large-program pages alone: the overlap page's customer-since
months per account, and each account's candidates of chosen products with their value."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0027_remove_rate_and_import_logs"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="unifiedaccount",
            index=models.Index(
                fields=["merger", "acquirer_customer_since", "acquired_customer_since"],
                name="account_customer_since",
            ),
        ),
        migrations.AddIndex(
            model_name="whitespacecell",
            index=models.Index(
                fields=["product", "account"],
                include=("potential_value", "direction"),
                name="whitespace_cell_by_product",
            ),
        ),
    ]
