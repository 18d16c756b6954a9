"""Credit splits of a deal add up to exactly 100%, checked by PostgreSQL at commit.

A deferred constraint trigger lets a transaction replace all splits of a deal
(delete, then insert) and checks the sum once, when it commits. SQLite has no
deferred triggers: there tracker.services.credits is the only guard.
"""

from django.db import migrations

from core.db.migrations import PostgresOnlySQL

FUNCTION = """
CREATE FUNCTION tracker_credit_splits_sum_100() RETURNS trigger AS $$
DECLARE
    deal bigint;
    total numeric;
BEGIN
    IF TG_OP = 'DELETE' THEN
        deal := OLD.opportunity_id;
    ELSE
        deal := NEW.opportunity_id;
    END IF;
    SELECT SUM(percent) INTO total
      FROM tracker_creditsplit
     WHERE opportunity_id = deal AND kind = 'split';
    IF total IS NOT NULL AND total <> 100 THEN
        RAISE EXCEPTION 'credit splits of opportunity % add up to % percent, not 100', deal, total
              USING ERRCODE = 'check_violation';
    END IF;
    IF TG_OP = 'UPDATE' AND OLD.opportunity_id <> NEW.opportunity_id THEN
        SELECT SUM(percent) INTO total
          FROM tracker_creditsplit
         WHERE opportunity_id = OLD.opportunity_id AND kind = 'split';
        IF total IS NOT NULL AND total <> 100 THEN
            RAISE EXCEPTION 'credit splits of opportunity % add up to % percent, not 100',
                  OLD.opportunity_id, total USING ERRCODE = 'check_violation';
        END IF;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql
"""

TRIGGER = """
CREATE CONSTRAINT TRIGGER credit_splits_sum_100
AFTER INSERT OR UPDATE OR DELETE ON tracker_creditsplit
DEFERRABLE INITIALLY DEFERRED
FOR EACH ROW EXECUTE FUNCTION tracker_credit_splits_sum_100()
"""

DROP = [
    "DROP TRIGGER IF EXISTS credit_splits_sum_100 ON tracker_creditsplit",
    "DROP FUNCTION IF EXISTS tracker_credit_splits_sum_100()",
]


class Migration(migrations.Migration):
    dependencies = [("tracker", "0003_digest_delivery")]

    operations = [PostgresOnlySQL(sql=[FUNCTION, TRIGGER], reverse_sql=DROP)]
