"""How the product names a person to other people."""

from django.contrib.auth.models import AbstractBaseUser


def person_name(user: AbstractBaseUser) -> str:
    """Their full name, else their username: the username is often an e-mail, which
    the People page shows to sales ops only."""
    full_name = getattr(user, "get_full_name", lambda: "")()
    return full_name.strip() or user.get_username()
