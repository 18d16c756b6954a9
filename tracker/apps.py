from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrackerConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "tracker"
    verbose_name = _("Pipeline tracker")

    def ready(self) -> None:
        from accounts.signals import program_data_changed
        from tracker import access, panels
        from tracker.selectors import pipeline_pairs
        from tracker.tasks import enqueue_directions_refresh

        access.register()
        panels.register()
        pipeline_pairs.register()
        program_data_changed.connect(
            enqueue_directions_refresh, dispatch_uid="tracker.directions_on_crm_change"
        )
