from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScorecardsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "scorecards"
    verbose_name = _("Scorecards")

    def ready(self) -> None:
        from core.signals import program_data_changed
        from scorecards import access
        from scorecards.tasks import enqueue_scores_recompute

        access.register()

        program_data_changed.connect(
            enqueue_scores_recompute, dispatch_uid="scorecards.recompute_on_change"
        )
