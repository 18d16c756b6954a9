from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrackerConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "tracker"
    verbose_name = _("Pipeline tracker")

    def ready(self) -> None:
        from tracker import access, panels
        from tracker.selectors import pipeline_pairs

        access.register()
        panels.register()
        pipeline_pairs.register()
