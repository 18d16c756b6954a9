from django.contrib.auth.base_user import AbstractBaseUser

from accounts.models import UserPreference


def user_language_get(*, user: AbstractBaseUser) -> str:
    """The language the person chose, or "" for the browser's."""
    return (
        UserPreference.objects.filter(user=user).values_list("language", flat=True).first() or ""
    )
