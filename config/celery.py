import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("crosssell")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# django-celery-beat's DatabaseScheduler copies these entries into its tables on
# start, where sales ops can see and adjust them in the admin.
app.conf.beat_schedule = {
    # A closed month's snapshot and six-C scores, frozen together (scorecards.services
    # .month_close); a day missed is caught up the next.
    "close-ended-months": {
        "task": "scorecards.close_due_months",
        "schedule": crontab(minute=15, hour=0),
    },
    # After the freezes: the new day's scores of the running month are stored before
    # anyone opens a scorecard, which would otherwise score the month on the fly.
    "recompute-current-month-scores": {
        "task": "scorecards.recompute_current_month_scores",
        "schedule": crontab(minute=30, hour=0),
    },
    "send-stale-opportunity-digests": {
        "task": "tracker.send_stale_digests",
        "schedule": crontab(minute=0, hour=7),
    },
    # Imports and exports whose task was lost or whose worker died: failed, to be
    # started again, instead of showing "queued" or "running" for ever.
    "fail-stalled-imports": {
        "task": "accounts.fail_stalled_imports",
        "schedule": crontab(minute="*/5"),
    },
    "fail-stalled-exports": {
        "task": "scorecards.fail_stalled_exports",
        "schedule": crontab(minute="*/5"),
    },
    # After the month-end freezes of the night, so the pack shows final scores.
    "send-monthly-scorecard-exports": {
        "task": "scorecards.send_monthly_exports",
        "schedule": crontab(day_of_month=1, hour=6, minute=0),
    },
}
