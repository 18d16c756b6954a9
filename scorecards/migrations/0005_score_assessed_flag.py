from django.db import migrations, models
from django.db.models import Exists, OuterRef

# Explanations are now written when read, in the reader's language, from the score's
# parts; whether a leader's assessment moved the score was only in the stored text.
# A stored score was assessed when the C had an assessment for its month (every
# assessment rescores its C).


def mark_assessed(apps, schema_editor):
    CScore = apps.get_model("scorecards", "CScore")
    Assessment = apps.get_model("scorecards", "Assessment")
    assessed = Assessment.objects.filter(
        segment_id=OuterRef("segment_id"), month=OuterRef("month"), c=OuterRef("c")
    )
    CScore.objects.filter(Exists(assessed)).update(assessed=True)


class Migration(migrations.Migration):
    dependencies = [
        ("scorecards", "0004_export_language"),
    ]

    operations = [
        migrations.AddField(
            model_name="cscore",
            name="assessed",
            field=models.BooleanField(default=False, verbose_name="after a leader's assessment"),
        ),
        migrations.RunPython(mark_assessed, migrations.RunPython.noop),
    ]
