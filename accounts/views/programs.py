from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponseRedirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.programs import current_merger_set
from core.web import back_to_next, program_view


@require_POST
@program_view("merger", needs_program=False)
def program_switch(request: HttpRequest, merger) -> HttpResponseRedirect:
    """Makes another of the user's programs the one their pages show."""
    try:
        merger_id = int(request.POST.get("merger", ""))
    except ValueError:
        raise Http404 from None
    chosen = current_merger_set(request=request, merger_id=merger_id)
    if chosen is None:
        raise Http404
    messages.success(request, _("Now showing the program %(name)s.") % {"name": chosen.name})
    return back_to_next(request, request.POST.get("next", ""), default="accounts:home")
