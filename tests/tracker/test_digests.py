from datetime import date, timedelta

import pytest
from django.core import mail
from django.utils import timezone, translation
from django.utils.translation import gettext

from accounts.services.preferences import user_language_set
from tests import factories
from tracker.models import DigestDelivery
from tracker.services.digests import stale_digest_send
from tracker.tasks import send_stale_digests

TODAY = date(2026, 6, 15)


@pytest.fixture
def stale_opportunity(merger, rep):
    return factories.OpportunityFactory(
        merger=merger, owner=rep, progressed_at=timezone.now() - timedelta(days=400)
    )


def test_rep_gets_one_digest_listing_their_stale_opportunities(rep, stale_opportunity):
    assert stale_digest_send(rep_id=rep.id, today=TODAY) is True
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [rep.user.email]
    assert stale_opportunity.account.name in message.body
    assert f"/pipeline/{stale_opportunity.pk}/" in message.body


def test_digest_is_sent_at_most_once_a_day(rep, stale_opportunity):
    stale_digest_send(rep_id=rep.id, today=TODAY)
    assert stale_digest_send(rep_id=rep.id, today=TODAY) is False
    assert len(mail.outbox) == 1
    assert DigestDelivery.objects.get().opportunity_count == 1


def test_no_digest_without_stale_opportunities(merger, rep):
    factories.OpportunityFactory(merger=merger, owner=rep)
    assert stale_digest_send(rep_id=rep.id, today=TODAY) is False
    assert mail.outbox == []


def test_daily_task_queues_a_digest_per_rep_with_stale_work(rep, stale_opportunity):
    assert send_stale_digests() == 1
    assert len(mail.outbox) == 1


def test_digest_links_point_at_the_sites_address(rep, stale_opportunity, settings):
    settings.SITE_URL = "https://crosssell.example.com"

    stale_digest_send(rep_id=rep.id, today=TODAY)

    link = f"https://crosssell.example.com/pipeline/{stale_opportunity.pk}/"
    assert link in mail.outbox[0].body


def test_a_rep_reads_the_digest_in_the_language_they_chose(rep, stale_opportunity):
    user_language_set(user=rep.user, language="it")

    assert stale_digest_send(rep_id=rep.pk)

    [message] = mail.outbox
    with translation.override("it"):
        expected = gettext("These opportunities have had no activity for a while.")
    assert expected != "These opportunities have had no activity for a while."
    assert expected in message.body
    assert "opportunit" in message.subject and "need an update" not in message.subject
