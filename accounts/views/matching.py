"""Review queue pages: pending pairs, one pair side by side, and an account's records.

Sales ops confirm or reject pairs, merge two accounts into one and split a
record off an account; executives may look. Every action goes through
accounts.services.matching, which records who decided what and when.
"""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.models import MatchCandidate, Merger, SourceAccount, UnifiedAccount
from accounts.selectors.matching import (
    match_candidate_comparison,
    match_candidate_reasons,
    match_decisions_of_account,
    match_review_queue,
)
from accounts.services.matching import (
    match_candidate_confirm,
    match_candidate_reject,
    match_candidates_confirm,
    match_candidates_reject,
    source_account_split,
    unified_accounts_merge,
)
from core.access import Action, allowed
from core.web import check_object_access, get_program_object_or_404, program_view

RESOURCE = "match"
SECTION = "matching"
PAGE_SIZE = 50
SEARCH_LIMIT = 20
NOTE_LENGTH = 500


def _context(request: HttpRequest, merger: Merger, **extra: Any) -> dict[str, Any]:
    return {
        "merger": merger,
        "can_change": allowed(request.user, Action.CHANGE, RESOURCE),
        **extra,
    }


@program_view(RESOURCE, section=SECTION)
def review_queue_page(request: HttpRequest, *, merger: Merger) -> HttpResponse:
    queue = match_review_queue(merger_id=merger.pk)
    page = Paginator(queue, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(c, match_candidate_reasons(candidate=c)[:3]) for c in page.object_list]
    context = _context(request, merger, page_obj=page, rows=rows)
    return render(request, "accounts/matching_review.html", context)


def _ticked(request: HttpRequest) -> set[int]:
    # At most a page of the queue, each pair once.
    chosen = {int(value) for value in request.POST.getlist("selected") if value.isdecimal()}
    return set(sorted(chosen)[:PAGE_SIZE])


def _bulk_decided(
    request: HttpRequest,
    *,
    merger: Merger,
    decide: Callable[..., int],
    done: Callable[[int], str],
    empty: str,
) -> HttpResponse:
    """Decides the pairs ticked on a page of the queue, and comes back to that page."""
    chosen = _ticked(request)
    page = request.POST.get("page", "")
    back = redirect(f"{reverse('accounts:match_review')}?{urlencode({'page': page})}")
    if not chosen:
        messages.error(request, empty)
        return back
    count = decide(
        merger_id=merger.pk, candidate_ids=chosen, actor=request.user, note=_note(request)
    )
    messages.success(request, done(count) % {"count": count})
    if count < len(chosen):
        messages.warning(
            request,
            ngettext(
                "%(count)d pair was decided meanwhile, or its records were joined, and was "
                "left as it is.",
                "%(count)d pairs were decided meanwhile, or their records were joined, and "
                "were left as they are.",
                len(chosen) - count,
            )
            % {"count": len(chosen) - count},
        )
    return back


@require_POST
@program_view(RESOURCE, Action.CHANGE, section=SECTION)
def candidates_reject(request: HttpRequest, *, merger: Merger) -> HttpResponse:
    return _bulk_decided(
        request,
        merger=merger,
        decide=match_candidates_reject,
        done=lambda n: ngettext("%(count)d pair rejected.", "%(count)d pairs rejected.", n),
        empty=_("Tick the pairs to reject first."),
    )


@require_POST
@program_view(RESOURCE, Action.CHANGE, section=SECTION)
def candidates_confirm(request: HttpRequest, *, merger: Merger) -> HttpResponse:
    return _bulk_decided(
        request,
        merger=merger,
        decide=match_candidates_confirm,
        done=lambda n: ngettext(
            "%(count)d pair confirmed: its records now share one account.",
            "%(count)d pairs confirmed: each pair's records now share one account.",
            n,
        ),
        empty=_("Tick the pairs to confirm first."),
    )


def _candidate(request: HttpRequest, merger: Merger, pk: int) -> MatchCandidate:
    candidate = get_program_object_or_404(
        request,
        MatchCandidate.objects.filter(merger=merger).select_related(
            "left__company", "right__company", "left__unified", "right__unified"
        ),
        pk=pk,
    )
    check_object_access(request, RESOURCE, candidate)
    return candidate


@program_view(RESOURCE, section=SECTION)
def candidate_page(request: HttpRequest, pk: int, *, merger: Merger) -> HttpResponse:
    candidate = _candidate(request, merger, pk)
    return render(
        request,
        "accounts/matching_candidate.html",
        _context(
            request,
            merger,
            candidate=candidate,
            fields=match_candidate_comparison(candidate=candidate),
            reasons=match_candidate_reasons(candidate=candidate),
            decisions=candidate.decisions.select_related("decided_by", "source__company"),
        ),
    )


def _note(request: HttpRequest) -> str:
    return request.POST.get("note", "").strip()[:NOTE_LENGTH]


def _act(request: HttpRequest, action: Callable[[], Any], done: str) -> bool:
    try:
        action()
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return False
    messages.success(request, done)
    return True


def _next_in_queue(merger: Merger) -> HttpResponse:
    following = match_review_queue(merger_id=merger.pk).first()
    if following is None:
        return redirect("accounts:match_review")
    return redirect("accounts:match_candidate", pk=following.pk)


def _decide(
    request: HttpRequest, merger: Merger, pk: int, decide: Callable[..., Any], done: str
) -> HttpResponse:
    """Confirms or rejects a candidate, then on to the next in the queue; back to it on refusal."""
    candidate = _candidate(request, merger, pk)
    check_object_access(request, RESOURCE, candidate, Action.CHANGE)
    if _act(
        request,
        lambda: decide(candidate=candidate, actor=request.user, note=_note(request)),
        done,
    ):
        return _next_in_queue(merger)
    return redirect("accounts:match_candidate", pk=candidate.pk)


@require_POST
@program_view(RESOURCE, Action.CHANGE, section=SECTION)
def candidate_confirm(request: HttpRequest, pk: int, *, merger: Merger) -> HttpResponse:
    return _decide(
        request,
        merger,
        pk,
        match_candidate_confirm,
        _("Match confirmed: both records now belong to one account."),
    )


@require_POST
@program_view(RESOURCE, Action.CHANGE, section=SECTION)
def candidate_reject(request: HttpRequest, pk: int, *, merger: Merger) -> HttpResponse:
    return _decide(
        request,
        merger,
        pk,
        match_candidate_reject,
        _("Match rejected: the records stay apart and the pair is not proposed again."),
    )


def _account(request: HttpRequest, merger: Merger, pk: int) -> UnifiedAccount:
    account = get_program_object_or_404(
        request, UnifiedAccount.objects.filter(merger=merger), pk=pk
    )
    check_object_access(request, RESOURCE, account)
    return account


@program_view(RESOURCE, section=SECTION)
def account_matching_page(request: HttpRequest, pk: int, *, merger: Merger) -> HttpResponse:
    account = _account(request, merger, pk)
    query = request.GET.get("q", "").strip()
    others = (
        UnifiedAccount.objects.filter(merger=merger, name__icontains=query)
        .exclude(pk=account.pk)
        .order_by("name", "id")[:SEARCH_LIMIT]
        if query
        else []
    )
    return render(
        request,
        "accounts/matching_account.html",
        _context(
            request,
            merger,
            account=account,
            sources=account.sources.select_related("company").order_by("company__role", "id"),
            decisions=match_decisions_of_account(account=account)[:PAGE_SIZE],
            query=query,
            others=others,
        ),
    )


@require_POST
@program_view(RESOURCE, Action.CHANGE, section=SECTION)
def account_merge(request: HttpRequest, pk: int, *, merger: Merger) -> HttpResponse:
    keep = _account(request, merger, pk)
    absorb_id = request.POST.get("absorb", "")
    absorb = _account(request, merger, int(absorb_id) if absorb_id.isdecimal() else 0)
    check_object_access(request, RESOURCE, keep, Action.CHANGE)
    _act(
        request,
        lambda: unified_accounts_merge(
            keep=keep, absorb=absorb, actor=request.user, note=_note(request)
        ),
        _("Accounts merged: %(absorbed)s is now part of %(kept)s.")
        % {"absorbed": absorb.name, "kept": keep.name},
    )
    return redirect("accounts:match_account", pk=keep.pk)


@require_POST
@program_view(RESOURCE, Action.CHANGE, section=SECTION)
def source_split(request: HttpRequest, pk: int, *, merger: Merger) -> HttpResponse:
    source = get_program_object_or_404(
        request,
        SourceAccount.objects.filter(company__merger=merger).select_related("company"),
        merger_field="company__merger_id",
        pk=pk,
    )
    account_id = source.unified_id
    check_object_access(request, RESOURCE, source.company, Action.CHANGE)
    _act(
        request,
        lambda: source_account_split(source=source, actor=request.user, note=_note(request)),
        _("Record split off into an account of its own."),
    )
    if account_id is None:
        return redirect("accounts:match_review")
    return redirect("accounts:match_account", pk=account_id)
