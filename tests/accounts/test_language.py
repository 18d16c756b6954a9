"""The product speaks the reader's language: the browser's, or the one they chose."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from accounts.models import UserPreference
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOG_IN = {"en": "Log in", "ru": "Войти", "it": "Accedi", "zh-hans": "登录"}


def sign_in_page(client, **headers) -> str:
    return client.get(reverse("login"), **headers).content.decode()


@pytest.mark.parametrize("language", ["ru", "it", "zh-hans"])
def test_the_browsers_language_is_spoken_by_default(client, language):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE=language)

    assert response["Content-Language"] == language
    assert f'<html lang="{language}">' in response.content.decode()
    assert LOG_IN[language] in response.content.decode()


def test_an_unknown_browser_language_gets_english(client):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="xx")
    assert response["Content-Language"] == "en"


def test_every_page_offers_the_switcher_with_each_language_in_its_own_name(client):
    page = sign_in_page(client)
    for name in ["English", "Русский", "Italiano", "简体中文"]:
        assert name in page


def test_choosing_a_language_without_signing_in_lasts_in_this_browser(client):
    response = client.post(
        reverse("language_switch"), {"language": "it", "next": reverse("login")}
    )

    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "it"
    assert LOG_IN["it"] in sign_in_page(client, HTTP_ACCEPT_LANGUAGE="en")


def test_a_signed_in_persons_choice_follows_them_to_another_browser(client):
    user = UserFactory(username="anna")
    client.force_login(user)
    client.post(reverse("language_switch"), {"language": "zh-hans"})
    assert UserPreference.objects.get(user=user).language == "zh-hans"

    other_browser = Client()
    other_browser.post(reverse("login"), {"username": "anna", "password": "pw"})
    page = other_browser.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en")
    assert page["Content-Language"] == "zh-hans"


def test_an_unsupported_language_is_refused(client):
    response = client.post(reverse("language_switch"), {"language": "xx"})
    assert response.status_code == 400


def test_an_outside_next_address_is_ignored(client):
    response = client.post(
        reverse("language_switch"), {"language": "ru", "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("accounts:home")


def test_switching_needs_post(client):
    assert client.get(reverse("language_switch")).status_code == 405


def test_charts_get_month_names_separators_and_toolbar_words_in_the_pages_language(client):
    english = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    russian = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="ru").content.decode()

    assert 'id="chart-locale"' not in english
    assert 'id="chart-locale"' in russian
    assert "январь" in russian.lower() or "\\u044f\\u043d\\u0432\\u0430\\u0440\\u044c" in russian
