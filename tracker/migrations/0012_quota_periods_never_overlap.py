"""One rep's quota periods never overlap, in the database too (PostgreSQL).

Quota writes lock the rep's row, so concurrent saves of a quarter and one of
its months take turns and the second sees the first. This exclusion
constraint is the backstop on PostgreSQL: no two quotas of one rep whose
months intersect. SQLite writes one transaction at a time, so the service's
check suffices there, and the constraint is not stated in the model (Django
cannot express a computed date range portably).
"""

from django.db import migrations

CONSTRAINT = "quota_periods_never_overlap"

CREATE = f"""
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE tracker_quota ADD CONSTRAINT {CONSTRAINT} EXCLUDE USING gist (
    rep_id WITH =,
    daterange(
        period_start,
        (period_start + CASE WHEN period_kind = 'quarter'
                             THEN interval '3 months' ELSE interval '1 month' END)::date
    ) WITH &&
);
"""
DROP = f"ALTER TABLE tracker_quota DROP CONSTRAINT IF EXISTS {CONSTRAINT};"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("tracker", "0011_synergy_target_history")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
