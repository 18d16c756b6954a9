import accounts.history.via
from django.db import migrations, models

LOGS = ("opportunitychange", "quotachange", "synergytargetchange")


class Migration(migrations.Migration):
    """Rows written before this change say nothing of their path: they stay empty."""

    dependencies = [
        ("tracker", "0016_opportunity_history_outlives_deal"),
    ]

    operations = [
        *(
            migrations.AddField(
                model_name=log,
                name="via",
                field=models.CharField(blank=True, default="", max_length=6),
            )
            for log in LOGS
        ),
        *(
            migrations.AlterField(
                model_name=log,
                name="via",
                field=models.CharField(
                    blank=True, default=accounts.history.via.current_via, max_length=6
                ),
            )
            for log in LOGS
        ),
    ]
