"""The one history takes the changes of every log: a deal's reopening and risk override, the
import that made a change, and an index by kind of record for the month replay."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0024_whitespace_total_by_value"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AlterField(
            model_name="recordchange",
            name="action",
            field=models.CharField(
                choices=[
                    ("created", "Created"),
                    ("changed", "Changed"),
                    ("deleted", "Deleted"),
                    ("reopened", "Reopened"),
                    ("overridden", "Risk override"),
                ],
                max_length=10,
            ),
        ),
        migrations.AddField(
            model_name="recordchange",
            name="import_job",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="record_changes",
                to="accounts.importjob",
            ),
        ),
        migrations.AddIndex(
            model_name="recordchange",
            index=models.Index(fields=["content_type", "merger", "at"], name="record_change_kind"),
        ),
    ]
