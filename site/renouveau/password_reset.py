"""Admin password reset: limited per client IP and per address typed, in constant work.

Django's view sends the mail inside the request, and only when the address belongs to an
active user: the answer time told whether an address exists, and nothing limited how many
mails one visitor could make the site send. Here the request does the same work whatever the
address (one lookup, one task enqueued); the worker builds and sends the mails. The task
carries user ids only, never the address typed.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_tasks import task
from wagtail.admin.forms.auth import PasswordResetForm
from wagtail.admin.views.account import PasswordResetView

from .abuse import address_limited, ip_limited

EMAIL_TEMPLATE = "wagtailadmin/account/password_reset/email.txt"
SUBJECT_TEMPLATE = "wagtailadmin/account/password_reset/email_subject.txt"


@task(queue_name="mail")
def send_password_reset_mails(user_ids: list[int]) -> int:
    """Mail each active user of `user_ids` a reset link (an empty list is a request for an
    unknown address: nothing to send). Returns the number of mails sent."""
    form = PasswordResetForm()
    base = settings.WAGTAILADMIN_BASE_URL
    protocol, _, domain = base.partition("://")
    sent = 0
    for user in get_user_model()._default_manager.filter(pk__in=user_ids, is_active=True):
        context = {
            "email": user.email,
            "domain": domain,
            "site_name": domain,
            "uid": urlsafe_base64_encode(force_bytes(user.pk)),
            "user": user,
            "token": default_token_generator.make_token(user),
            "protocol": protocol,
        }
        form.send_mail(SUBJECT_TEMPLATE, EMAIL_TEMPLATE, context, None, user.email)
        sent += 1
    return sent


class ThrottledPasswordResetView(PasswordResetView):
    def form_valid(self, form) -> HttpResponse:
        request = self.request
        if ip_limited(request, "admin.password_reset.ip", settings.PASSWORD_RESET_RATE_PER_IP):
            return render(request, "renouveau/password_reset_limited.html", status=429)
        # The same lookup and the same enqueue for every address, known or not; a limited
        # address gets the same answer, and its (possibly empty) list is dropped.
        user_ids = [user.pk for user in form.get_users(form.cleaned_data["email"])]
        if address_limited(
            request, "admin.password_reset.email", settings.PASSWORD_RESET_RATE_PER_EMAIL
        ):
            user_ids = []
        send_password_reset_mails.enqueue(user_ids=user_ids)
        return redirect(self.get_success_url())
