from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrackerConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "tracker"
    verbose_name = _("Pipeline tracker")

    def ready(self) -> None:
        from accounts.selectors.accounts import register_account_claim
        from core.panels import register_landing
        from tracker import access, panels, tasks
        from tracker.selectors import pipeline_pairs
        from tracker.selectors.pipeline import account_ids_with_deals_of
        from tracker.views.home import rep_landing

        access.register()
        panels.register()
        pipeline_pairs.register()
        register_account_claim(account_ids_with_deals_of)
        register_landing(rep_landing)
        tasks.connect()
