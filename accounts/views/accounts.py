from typing import Any

from django.core.paginator import Paginator
from django.views.generic import TemplateView

from accounts.selectors.accounts import (
    account_install_base,
    account_sources,
    unified_accounts_for_list,
    unified_accounts_visible,
)
from accounts.selectors.segments import account_segment_explanation
from accounts.views.filters import UnifiedAccountFilter
from accounts.views.segment_forms import AccountSegmentForm
from core import panels
from core.access import Action, allowed
from core.web import ProgramAccessMixin, check_object_access, get_program_object_or_404

PAGE_SIZE = 50


class AccountListView(ProgramAccessMixin, TemplateView):
    template_name = "accounts/account_list.html"
    resource = "account"
    section = "accounts"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        filterset = UnifiedAccountFilter(
            self.request.GET or None,
            queryset=unified_accounts_for_list(merger_id=self.merger.pk),
            merger=self.merger,
            user=self.request.user,
        )
        page = Paginator(filterset.qs, PAGE_SIZE).get_page(self.request.GET.get("page"))
        return super().get_context_data(filter=filterset, page_obj=page, **kwargs)


class AccountDetailView(ProgramAccessMixin, TemplateView):
    template_name = "accounts/account_detail.html"
    resource = "account"
    section = "accounts"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        account = get_program_object_or_404(
            self.request,
            unified_accounts_visible(user=self.request.user).select_related("segment", "merger"),
            pk=kwargs["pk"],
        )
        check_object_access(self.request, self.resource, account)
        sources = account_sources(account=account)
        can_assign = allowed(self.request.user, Action.CHANGE, "segment", account)
        return super().get_context_data(
            account=account,
            sources=sources,
            segment=account_segment_explanation(account=account, sources=sources),
            segment_form=(
                AccountSegmentForm(initial={"segment": account.segment_id}, merger=account.merger)
                if can_assign
                else None
            ),
            install_base=account_install_base(account=account),
            panels=panels.panels_for(panels.ACCOUNT, user=self.request.user, account=account),
            can_change_matching=allowed(self.request.user, Action.CHANGE, "match", account),
            **kwargs,
        )
