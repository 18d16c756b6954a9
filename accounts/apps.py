from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"
    verbose_name = _("Accounts and products")

    def ready(self) -> None:
        from accounts import (
            access,
            analysis_panels,
            language,  # noqa: F401 (its sign-in receiver)
            tasks,
        )
        from accounts.models import Merger
        from core.programs import register_program_model

        # Every program-scoped read of every app resolves programs through this.
        register_program_model(Merger, members="memberships__user")
        access.register()
        analysis_panels.register()
        tasks.connect()
