"""Product map pages: the pairs with their evidence, suggestions, and the add/edit forms."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Merger, ProductMapping
from accounts.product_affinity import MIN_LIFT, MIN_OWNERS
from accounts.selectors.product_map import (
    evidence_summary,
    product_affinities,
    product_map_suggestions,
    product_map_with_evidence,
)
from accounts.services.product_map import (
    product_mapping_create,
    product_mapping_delete,
    product_mapping_update,
)
from accounts.views.analysis_forms import ProductMappingForm
from core.access import Action, allowed
from core.web import check_object_access, form_saved, get_program_object_or_404, program_view

RESOURCE = "product_map"
# A large program maps a couple of hundred pairs; rendering every row was most of the page.
PAGE_SIZE = 50


@program_view(RESOURCE, section="whitespace")
def product_map_page(request: HttpRequest, *, merger: Merger) -> HttpResponse:
    counts = product_affinities(merger=merger)  # read once for both tables
    pairs = product_map_with_evidence(merger=merger, counts=counts)
    return render(
        request,
        "accounts/product_map.html",
        {
            "merger": merger,
            "pairs": pairs,
            # The headline counts every pair; the table shows a page of them.
            "page_obj": Paginator(pairs, PAGE_SIZE).get_page(request.GET.get("page")),
            "summary": evidence_summary(pairs),
            "suggestions": product_map_suggestions(merger=merger, counts=counts),
            "min_owners": MIN_OWNERS,
            "min_lift": MIN_LIFT,
            "can_create": allowed(request.user, Action.CREATE, RESOURCE),
            "can_change": allowed(request.user, Action.CHANGE, RESOURCE),
            "can_delete": allowed(request.user, Action.DELETE, RESOURCE),
        },
    )


def _form_page(
    request: HttpRequest,
    merger: Merger,
    form: ProductMappingForm,
    save: Callable[[dict[str, Any]], ProductMapping],
    mapping: ProductMapping | None,
) -> HttpResponse:
    """Saves a posted pair through `save` and goes back to the map, or shows the form."""
    if request.method == "POST" and form_saved(
        request,
        form,
        save,
        done=_("Product map saved; the whitespace is being recomputed from it."),
    ):
        return redirect("accounts:product_map")
    return render(
        request,
        "accounts/product_mapping_form.html",
        {"merger": merger, "form": form, "mapping": mapping},
    )


def _posted(request: HttpRequest) -> Any:
    """The form's data on a POST, even an empty one (which then shows what is missing)."""
    return request.POST if request.method == "POST" else None


@program_view(RESOURCE, Action.CREATE, section="whitespace")
def product_mapping_create_page(request: HttpRequest, *, merger: Merger) -> HttpResponse:
    # A suggestion links here with its pair filled in.
    initial = {k: request.GET[k] for k in ("source", "target", "relation") if k in request.GET}
    form = ProductMappingForm(_posted(request), initial=initial, merger=merger)
    create = lambda data: product_mapping_create(actor=request.user, merger=merger, **data)  # noqa: E731
    return _form_page(request, merger, form, create, None)


@program_view(RESOURCE, Action.CHANGE, section="whitespace")
def product_mapping_update_page(request: HttpRequest, pk: int, *, merger: Merger) -> HttpResponse:
    mapping = get_program_object_or_404(
        request, ProductMapping.objects.filter(merger=merger), pk=pk
    )
    check_object_access(request, RESOURCE, mapping, Action.CHANGE)
    initial = {
        "source": mapping.source_id,
        "target": mapping.target_id,
        "relation": mapping.relation,
        "reason": mapping.reason,
        "validated_with_customers": mapping.validated_with_customers,
    }
    form = ProductMappingForm(_posted(request), initial=initial, merger=merger)
    update = lambda data: product_mapping_update(actor=request.user, mapping=mapping, **data)  # noqa: E731
    return _form_page(request, merger, form, update, mapping)


@require_POST
@program_view(RESOURCE, Action.DELETE, section="whitespace")
def product_mapping_delete_page(request: HttpRequest, pk: int, *, merger: Merger) -> HttpResponse:
    mapping = get_program_object_or_404(
        request, ProductMapping.objects.filter(merger=merger), pk=pk
    )
    check_object_access(request, RESOURCE, mapping, Action.DELETE)
    product_mapping_delete(actor=request.user, mapping=mapping)
    messages.success(request, _("Pair removed from the product map."))
    return redirect("accounts:product_map")
