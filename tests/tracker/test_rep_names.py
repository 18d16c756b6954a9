"""A rep's name is read the same from the object and from its columns alone."""

import pytest

from tests import factories
from tracker.models import Rep


@pytest.mark.parametrize(
    ("first", "last", "username"),
    [("Ada", "Lovelace", "ada"), ("", "Lovelace", "al"), ("Ada", "", "ada2"), ("", "", "anon")],
)
def test_name_of_is_the_users_full_name_else_the_username(first, last, username):
    # Django's own rule for User.get_full_name(), then get_username().
    full = f"{first} {last}".strip()
    assert Rep.name_of(first, last, username) == (full or username)


def test_the_columns_give_the_objects_name(merger, acquirer):
    for first, last in (("Ada", "Lovelace"), ("", "")):
        user = factories.UserFactory(first_name=first, last_name=last)
        factories.RepFactory(merger=merger, user=user, company=acquirer)
    by_object = {rep.pk: str(rep) for rep in Rep.objects.filter(merger=merger)}
    by_columns = {
        pk: Rep.name_of(*parts)
        for pk, *parts in Rep.objects.filter(merger=merger).values_list("pk", *Rep.NAME_FIELDS)
    }
    assert by_columns == by_object
    assert set(by_object.values()) >= {"Ada Lovelace"}
    assert all(
        name == (rep.user.get_full_name() or rep.user.get_username())
        for rep in Rep.objects.filter(merger=merger)
        for name in [str(rep)]
    )
