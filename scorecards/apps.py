from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScorecardsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "scorecards"
    verbose_name = _("Scorecards")

    def ready(self) -> None:
        from scorecards import access, tasks

        access.register()
        tasks.connect()
