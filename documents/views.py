"""Public views of the documents app: request form, personal download link, SES inbound webhook."""

from __future__ import annotations

import logging

from django.conf import settings
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseForbidden,
    HttpResponseRedirect,
)
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from renouveau.abuse import address_limited, email_ratelimit_key, ip_limited
from renouveau.client_ip import client_ip
from renouveau.sns import (
    SNSBodyTooLarge,
    SNSVerificationError,
    confirm_subscription,
    parse_sns_message,
    read_sns_body,
    verify_sns_message,
)

from .forms import DocumentRequestForm
from .inbound import InboundError, parse_notification
from .links import DocumentUnavailable, LinkError, check_token, count_use, link_expires_at
from .models import Availability, DocumentLibraryPage, LibraryDocument
from .sending import request_from_form
from .storage import download_filename, download_origin, is_stored, presigned_url
from .tasks import record_inbound_mail

logger = logging.getLogger(__name__)

RATE_PER_IP = "10/h"
RATE_PER_ADDRESS = "3/h"


def library_page() -> DocumentLibraryPage | None:
    return DocumentLibraryPage.objects.live().first()


def _rate_limited(request: HttpRequest) -> bool:
    # Both counters are incremented for every attempt, bots included.
    by_ip = ip_limited(request, "documents-request-ip", RATE_PER_IP)
    if not email_ratelimit_key("", request):
        return by_ip  # no address typed: the form only shows errors, nothing to count
    return address_limited(request, "documents-request-email", RATE_PER_ADDRESS) or by_ip


@never_cache
def request_document_view(
    request: HttpRequest, page: DocumentLibraryPage, document_id: int
) -> HttpResponse:
    """The request form of an on-request document (a route of the library page)."""
    document = LibraryDocument.objects.filter(
        pk=document_id, availability=Availability.ON_REQUEST
    ).first()
    if document is None:
        raise Http404("Document inconnu")
    context = {"page": page, "self": page, "document": document}
    if request.method == "POST":
        form = DocumentRequestForm(request.POST)
        if _rate_limited(request):
            context["form"] = form
            context["rate_limited"] = True
            return render(request, "documents/request_form.html", context, status=429)
        if form.is_bot():
            # Pretend success: a bot learns nothing, and no mail is sent.
            return HttpResponseRedirect(f"{request.path}?envoye=1")
        if form.is_valid():
            data = form.cleaned_data
            # Per visitor before the per-domain and site caps (request_from_form).
            per_ip = settings.DOCUMENTS_AUTO_MAIL_PER_IP_PER_HOUR
            ip_capped = ip_limited(request, "documents-auto-mail-ip", f"{per_ip}/h")
            document_request = request_from_form(
                document=document,
                email=data["email"],
                name=data["name"],
                organisation=data["organisation"],
                profile=data["profile"],
                purpose=data["purpose"],
                subscribe=data["newsletter"],
                ip=client_ip(request),
                ip_capped=ip_capped,
            )
            # The truth: a request held for staff is answered later, by a person.
            answer = "attente" if document_request.refusal_reason else "1"
            return HttpResponseRedirect(f"{request.path}?envoye={answer}")
        context["form"] = form
        return render(request, "documents/request_form.html", context, status=400)
    if request.GET.get("envoye") is not None:
        context["held"] = request.GET["envoye"] == "attente"
        return render(request, "documents/request_sent.html", context)
    context["form"] = DocumentRequestForm()
    return render(request, "documents/request_form.html", context)


def _link_error(request: HttpRequest, error: LinkError, document=None) -> HttpResponse:
    context = {
        "reason": error.reason,
        "document": document,
        "library": library_page(),
        "max_uses": settings.DOCUMENTS_LINK_MAX_USES,
        "max_days": settings.DOCUMENTS_LINK_MAX_AGE_DAYS,
    }
    return render(request, "documents/link_error.html", context, status=error.status)


def _check_stored(document: LibraryDocument) -> None:
    if not is_stored(document.file):
        logger.error(
            "Document %s (« %s ») : son fichier est absent du stockage, les liens personnels "
            "ne peuvent pas le délivrer.",
            document.pk,
            document.title,
        )
        raise DocumentUnavailable


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def download_view(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows the document and a button; POST counts one use and delivers the file.

    Mail scanners that open links (GET) therefore do not use up the visitor's downloads.
    """
    try:
        document_request = check_token(token)
        if request.method == "POST":
            _check_stored(document_request.document)  # before the use is counted
            document_request = count_use(document_request)
    except LinkError as error:
        return _link_error(request, error)
    document = document_request.document
    if request.method != "POST":
        context = {
            "document": document,
            "document_request": document_request,
            "expires_at": link_expires_at(document_request),
            "uses_left": settings.DOCUMENTS_LINK_MAX_USES - document_request.download_count,
        }
        response = render(request, "documents/download.html", context)
        origin = download_origin(document.file)
        if origin:
            # The button's POST ends in a redirect to the bucket: the CSP must allow it.
            response._csp_update = {"form-action": [origin]}
        response["X-Robots-Tag"] = "noindex"
        # The token must not leak to other sites in Referer; "no-referrer" would make the
        # browser send "Origin: null" with the form and fail the CSRF origin check.
        response["Referrer-Policy"] = "same-origin"
        return response
    filename = download_filename(document.title, document.file)
    url = presigned_url(document.file, filename)
    if url:
        return HttpResponseRedirect(url, status=303)
    return FileResponse(document.file.open("rb"), as_attachment=True, filename=filename)


@csrf_exempt
@require_POST
def ses_inbound_view(request: HttpRequest) -> HttpResponse:
    """SNS notifications of SES inbound mail (stored in S3): recorded at once, processed by a
    task (SNS retries a slow endpoint), once per SNS MessageId and per SES message id."""
    topics = settings.DOCUMENTS_INBOUND_TOPIC_ARNS
    if not topics:
        raise Http404("Réception des e-mails non configurée")
    try:
        message = parse_sns_message(read_sns_body(request))
        verify_sns_message(message, topic_arns=topics)
    except SNSBodyTooLarge:
        return HttpResponse("Message trop volumineux.", status=413)
    except SNSVerificationError as exc:
        logger.warning("Refused SNS message: %s", exc)
        return HttpResponseForbidden("Message SNS refusé.")
    if message["Type"] == "SubscriptionConfirmation":
        try:
            confirm_subscription(message)
        except SNSVerificationError:
            return HttpResponseBadRequest("Confirmation impossible.")
        return HttpResponse("Abonnement confirmé.")
    if message["Type"] != "Notification":
        return HttpResponse("Ignoré.")
    try:
        notification = parse_notification(message["Message"])
    except InboundError as exc:
        logger.warning("Inbound mail notification not usable: %s", exc)
        return HttpResponseBadRequest("Notification inexploitable.")
    record_inbound_mail(message, notification)
    return HttpResponse("OK")
