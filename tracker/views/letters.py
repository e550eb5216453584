"""RTI letters as PDF: written from scratch, from the calculator's dates, from the new-request
form before anything is submitted, or from a published request's timeline.

Nothing typed here is stored. The letter is sent back as a download in the
answer to a POST, which is exempt from CSRF: it changes nothing on the site,
and the form's page stays a public page without a cookie. Laying out a PDF
costs a fraction of a second of CPU, so each client may ask for
``RTI_LETTERS_PER_HOUR`` of them.
"""

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from ..catalogue.selectors.details import rti_request_detail
from ..clients import client_address
from ..middleware import public_page
from ..models import RTIRequest
from ..rti.forms import LetterForm
from ..rti.letters import letter_filename, letter_for_request, letter_pdf
from ..rti.questions import QUESTIONS

# The calculator's parameters, as the letter form names them.
FROM_CALCULATOR = {
    "received_on": "received_on",
    "reply_received_on": "replied_on",
    "first_appeal_filed_on": "first_appeal_filed_on",
    "first_appeal_decided_on": "first_appeal_decided_on",
    "kind": "kind",
}
# The new-request form's fields, as the letter form names them.
FROM_PROPOSAL = {
    "authority": "authority",
    "reference_number": "reference_number",
    "filed_on": "filed_on",
    "received_on": "received_on",
    "application_text": "questions",
}


def letters_allowed(request, letters=1) -> bool:
    """Within this client's letters for the hour, counting ``letters`` more (every attempt
    counts; a campaign's zip counts each of its letters). A campaign with more authorities
    than the hour allows is still one zip an hour: as the client's first letters of it."""
    key = f"rti:letters:{client_address(request)}"
    cache.add(key, 0, timeout=3600)
    try:
        total = cache.incr(key, letters)
    except ValueError:  # expired between add and incr
        return True
    return total <= settings.RTI_LETTERS_PER_HOUR or total == letters


def _pdf_response(letter):
    response = HttpResponse(letter_pdf(letter), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{letter_filename(letter)}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _initial(request, mapping):
    return {target: request.GET[name] for name, target in mapping.items() if request.GET.get(name)}


def _letter_page(request, *, form, rti_request=None, status=200):
    return render(
        request,
        "tracker/rti_letters.html",
        {
            "form": form,
            "rti_request": rti_request,
            "questions": QUESTIONS,
            "language": get_language(),
        },
        status=status,
    )


def _answer(request, form, *, rti_request=None, base=None):
    if not letters_allowed(request):
        form.add_error(None, _("Too many letters from here in the last hour; try again later."))
        return _letter_page(request, form=form, rti_request=rti_request, status=429)
    if not form.is_valid():
        return _letter_page(request, form=form, rti_request=rti_request, status=400)
    return _pdf_response(form.letter(base))


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
@public_page
def rti_letters(request):
    """Any letter, for anyone. GET fills it from the calculator's dates; a POST with
    ``prefill`` comes from the new-request form and fills it from that, unsent."""
    if request.method == "POST" and "prefill" not in request.POST:
        return _answer(request, LetterForm(request.POST))
    if request.method == "POST":
        initial = {
            target: request.POST[name]
            for name, target in FROM_PROPOSAL.items()
            if request.POST.get(name)
        }
        initial.setdefault("kind", "application")
    else:
        initial = _initial(request, FROM_CALCULATOR)
    initial.setdefault("language", get_language())
    return _letter_page(request, form=LetterForm(initial=initial))


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
@public_page
def rti_request_letters(request, pk):
    """The next letter of a published request, prefilled from its timeline."""
    try:
        rti_request = rti_request_detail(pk=pk)
    except RTIRequest.DoesNotExist:
        raise Http404("no published RTI request") from None
    if request.method == "POST":
        form = LetterForm(request.POST)
        kind = request.POST.get("kind", "first_appeal")
        base = letter_for_request(
            rti_request, kind=kind if kind in dict(form.fields["kind"].choices) else "first_appeal"
        )
        return _answer(request, form, rti_request=rti_request, base=base)
    suggested = "first_appeal"
    if rti_request.first_appeal_filed_on:
        suggested = "second_appeal"
    initial = {
        "kind": request.GET.get("kind") or suggested,
        "language": get_language(),
        "authority": rti_request.authority_id if rti_request.authority.is_published else None,
        "questions": rti_request.application_text,
    }
    return _letter_page(request, form=LetterForm(initial=initial), rti_request=rti_request)
