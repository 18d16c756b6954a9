"""Sections whose pages are still to come: each says what it will show."""

from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from accounts.web import ProgramAccessMixin


class ComingSectionView(ProgramAccessMixin, TemplateView):
    """A section page that explains what will appear in it."""

    template_name = "section_coming.html"
    heading = ""
    coming = ""
    how = ""

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            heading=self.heading, coming=self.coming, how=self.how, **kwargs
        )


class WhitespaceView(ComingSectionView):
    resource = "whitespace"
    section = "whitespace"
    heading = _("Whitespace")
    coming = _(
        "Coming here: the cross-sell candidates of each account: products mapped from "
        "what it owns that it does not have yet, with their potential value, by segment "
        "and direction."
    )
    how = _("Sales ops builds the product map; the candidates follow from the install base.")
