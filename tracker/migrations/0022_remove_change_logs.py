"""Their rows now live in the one history (0021): the deals', quotas' and targets' logs go."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("tracker", "0021_change_logs_into_record_history")]

    operations = [
        migrations.DeleteModel(name="OpportunityChange"),
        migrations.DeleteModel(name="QuotaChange"),
        migrations.DeleteModel(name="SynergyTargetChange"),
    ]
