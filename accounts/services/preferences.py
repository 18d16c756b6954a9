"""A person's own choices: the language the product speaks to them in."""

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser

from accounts.models import UserPreference

LANGUAGE_SESSION_KEY = "preferred_language"


def language_supported(language: str) -> bool:
    return language in dict(settings.LANGUAGES)


def user_language_set(*, user: AbstractBaseUser, language: str) -> UserPreference:
    """Remembers the language a signed-in person chose, for every browser they use."""
    if not language_supported(language):
        raise ValueError(f"Unsupported language: {language!r}")
    preference, _ = UserPreference.objects.update_or_create(
        user=user, defaults={"language": language}
    )
    return preference
