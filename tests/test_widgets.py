"""A long select written in Python equals Django's select templates, byte for byte."""

import re

import pytest
from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.widgets import LongSelect, ShortModelChoiceField
from tests import factories
from tracker.models import Rep

CHOICES = [
    ("", "All owners"),
    (1, 'Ann "A" <O\'Neil> & co'),
    (2, "Bob"),
    ("Group & <one>", [(3, "Cy"), (4, "Dee")]),
    (5, "Эрик 李"),
]


@pytest.mark.parametrize("value", [None, "", 2, "4", [5]])
@pytest.mark.parametrize(
    "attrs", [None, {"id": "id_owner", "class": 'x"y', "required": True, "hidden": False}]
)
def test_select_equals_the_template(value, attrs) -> None:
    plain = forms.Select(choices=CHOICES).render("owner", value, attrs=attrs)
    assert LongSelect(choices=CHOICES).render("owner", value, attrs=attrs) == plain


def test_model_choices_equal_the_template(merger) -> None:
    reps = [factories.RepFactory(merger=merger) for _ in range(3)]

    def field(widget: type[forms.Select]) -> forms.ModelChoiceField:
        return forms.ModelChoiceField(
            queryset=Rep.objects.filter(merger=merger).select_related("user"),
            empty_label="All owners",
            widget=widget,
        )

    class Plain(forms.Form):
        owner = field(forms.Select)

    class Long(forms.Form):
        owner = field(LongSelect)

    data = {"owner": str(reps[1].pk)}
    assert str(Long(data)["owner"]) == str(Plain(data)["owner"])
    assert str(Long()["owner"]) == str(Plain()["owner"])


def test_short_model_choices_equal_the_template(merger) -> None:
    reps = [factories.RepFactory(merger=merger) for _ in range(3)]
    queryset = Rep.objects.filter(merger=merger).select_related("user").order_by("pk")

    class Plain(forms.Form):
        owner = forms.ModelChoiceField(queryset=queryset, empty_label="All owners")

    class Short(forms.Form):
        owner = ShortModelChoiceField(queryset=queryset, empty_label="All owners")

    for data in ({"owner": str(reps[1].pk)}, None):
        with CaptureQueriesContext(connection) as plain:
            expected = str(Plain(data)["owner"])
        with CaptureQueriesContext(connection) as short:
            written = str(Short(data)["owner"])
        assert written == expected
        # The same reads, each a plain SELECT: on PostgreSQL Django reads the choices
        # through a server-side cursor (DECLARE ... FOR SELECT), three round trips.
        assert [q["sql"] for q in short] == [_select(q["sql"]) for q in plain]
        assert not any(q["sql"].startswith("DECLARE") for q in short)


def _select(sql: str) -> str:
    return re.sub(r'^DECLARE "[^"]+" NO SCROLL CURSOR (WITH(OUT)? HOLD )?FOR ', "", sql)
