"""The daily e-mail that reminds each rep of their stale opportunities."""

from datetime import date

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.selectors.preferences import user_language_get
from tracker.models import DigestDelivery, Rep
from tracker.selectors.stale import stale_opportunities

DIGEST_LIMIT = 50


def stale_digest_send(*, rep_id: int, today: date | None = None) -> bool:
    """Sends today's digest to one rep, at most once a day; False when nothing was sent."""
    today = today or timezone.localdate()
    if DigestDelivery.objects.filter(rep_id=rep_id, sent_on=today).exists():
        return False
    rep = Rep.objects.select_related("user", "merger").get(pk=rep_id)
    stale = list(
        stale_opportunities(merger_id=rep.merger_id, today=today).filter(owner=rep)[:DIGEST_LIMIT]
    )
    if not stale or not rep.user.email or not rep.is_active:
        return False
    try:
        # The delivery row and the e-mail succeed or fail together: a failed send
        # leaves no row, so the next run tries again.
        with transaction.atomic():
            DigestDelivery.objects.create(rep=rep, sent_on=today, opportunity_count=len(stale))
            with translation.override(user_language_get(user=rep.user) or settings.LANGUAGE_CODE):
                _send(rep, stale)
    except IntegrityError:
        return False
    return True


def _send(rep: Rep, stale: list) -> None:
    subject = ngettext(
        "%(count)d cross-sell opportunity needs an update",
        "%(count)d cross-sell opportunities need an update",
        len(stale),
    ) % {"count": len(stale)}
    body = render_to_string(
        "tracker/email/stale_digest.txt",
        {
            "rep": rep,
            "opportunities": stale,
            "site_url": settings.SITE_URL,
            "program": rep.merger,
            "intro": _("These opportunities have had no activity for a while."),
        },
    )
    send_mail(subject, body, None, [rep.user.email])
