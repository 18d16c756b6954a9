"""The overlap history also reads whether either company knows an account (its status):
the customer-since index keeps the status so that the grouped read stays on the index."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0032_imported_amounts_rate_month"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="unifiedaccount",
            name="account_customer_since",
        ),
        migrations.AddIndex(
            model_name="unifiedaccount",
            index=models.Index(
                fields=["merger", "acquirer_customer_since", "acquired_customer_since", "status"],
                name="account_customer_since",
            ),
        ),
    ]
