"""Their rows now live in the one history (0023): the rates' and imports' logs go."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("accounts", "0026_rate_and_import_logs_into_record_history")]

    operations = [
        migrations.DeleteModel(name="ExchangeRateChange"),
        migrations.DeleteModel(name="ImportChange"),
    ]
