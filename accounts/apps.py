from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"
    verbose_name = _("Accounts and products")

    def ready(self) -> None:
        from accounts import analysis_panels, language  # noqa: F401 (its sign-in receiver)

        analysis_panels.register()
