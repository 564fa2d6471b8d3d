"""Forms editors build in the admin (Wagtail's form builder): contact form, surveys, calls for
participation… Submissions are listed in the admin (« Formulaires ») with CSV/Excel export.

The same abuse protection as the site's other public forms (renouveau.abuse: honeypot; a
django-ratelimit counter per visitor IP, renouveau.client_ip), and the optional staff
notification goes through the site's one mail path (renouveau.mail)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import models
from django.template.response import TemplateResponse
from django_ratelimit.core import is_ratelimited
from modelcluster.fields import ParentalKey
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.forms.models import AbstractFormField, EmailFormMixin, FormMixin
from wagtail.contrib.forms.panels import FormSubmissionsPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from .abuse import HoneypotForm
from .accessibility import LEGAL_RICH_TEXT
from .models import BasePage

logger = logging.getLogger(__name__)

FORM_RATE_PER_IP = "10/h"


# Contact-form messages (the answers to these forms) are personal data. Wagtail shows the
# answers of every form page a user may edit, « Rédacteurs » included; only users holding
# « view form submission » (« Modérateurs », data migration 0007) or superusers see them.
CONTACT_MESSAGES_PERMISSION = "wagtailforms.view_formsubmission"


@hooks.register("filter_form_submissions_for_user")
def contact_messages_for_user(user, editable_forms):
    """The form pages whose answers `user` may read and export."""
    if user.is_superuser or user.has_perm(CONTACT_MESSAGES_PERMISSION):
        return editable_forms
    return editable_forms.none()


class FormField(AbstractFormField):
    page = ParentalKey("FormPage", on_delete=models.CASCADE, related_name="form_fields")

    class Meta(AbstractFormField.Meta):
        verbose_name = "champ de formulaire"
        verbose_name_plural = "champs de formulaire"


class FormPage(EmailFormMixin, FormMixin, BasePage):
    intro = RichTextField("introduction", blank=True, features=LEGAL_RICH_TEXT)
    data_notice = RichTextField(
        "information sur les données personnelles",
        blank=True,
        features=LEGAL_RICH_TEXT,
        help_text="Affichée sous le formulaire (RGPD, art. 13) : finalité, durée de "
        "conservation, lien vers la page « Données personnelles ».",
    )
    submit_label = models.CharField("libellé du bouton", max_length=60, default="Envoyer")
    thank_you_text = RichTextField(
        "message de confirmation", blank=True, features=["bold", "italic", "link"]
    )

    content_panels = [
        FormSubmissionsPanel(),
        *Page.content_panels,
        FieldPanel("intro"),
        InlinePanel("form_fields", label="champ", heading="Champs du formulaire"),
        FieldPanel("submit_label"),
        FieldPanel("data_notice"),
        FieldPanel("thank_you_text"),
        MultiFieldPanel(
            [
                FieldPanel(
                    "to_address",
                    help_text="Facultatif : chaque réponse est envoyée à ces adresses "
                    "(séparées par des virgules). Les réponses restent consultables dans "
                    "« Formulaires ».",
                ),
                FieldRowPanel([FieldPanel("subject")]),
            ],
            heading="Notification par courriel",
        ),
    ]
    parent_page_types = ["renouveau.HomePage", "renouveau.StandardPage"]
    subpage_types: list[str] = []
    template = "renouveau/form_page.html"
    landing_page_template = "renouveau/form_page_landing.html"

    def get_submissions_list_view_class(self):
        """Answers exported through the site's one CSV writer (formulas defused)."""
        from .form_exports import SafeSubmissionsListView  # needs the models loaded

        return SafeSubmissionsListView

    class Meta:
        verbose_name = "formulaire"
        verbose_name_plural = "formulaires"

    def serve(self, request, *args, **kwargs):
        if request.method == "POST":
            limited = is_ratelimited(
                request,
                group=f"form-page-{self.pk}",
                key="ip",
                rate=getattr(settings, "FORM_PAGE_RATE_PER_IP", FORM_RATE_PER_IP),
                increment=True,
            )
            if limited:
                context = self.get_context(request)
                context["form"] = self.get_form(request.POST, page=self, user=request.user)
                context["rate_limited"] = True
                return TemplateResponse(request, self.get_template(request), context, status=429)
            if HoneypotForm(request.POST).is_bot():
                # The same answer as a real submission; nothing recorded, nothing sent.
                return self.render_landing_page(request, None, *args, **kwargs)
        return super().serve(request, *args, **kwargs)

    def send_mail(self, form) -> None:
        from .mail import send_mail_message

        addresses = [a.strip() for a in self.to_address.split(",") if a.strip()]
        reply_to = [
            value
            for name, value in form.cleaned_data.items()
            if isinstance(value, str)
            and "@" in value
            and form.fields[name].__class__.__name__ == "EmailField"
        ][:1]
        try:
            send_mail_message(
                to=addresses,
                subject=self.subject or f"Formulaire « {self.title} » : nouvelle réponse",
                text=self.render_email(form)
                + "\n\nToutes les réponses : administration du site, menu « Formulaires ».",
                reply_to=reply_to,
            )
        except Exception:
            # The answer is recorded all the same; staff see it in the admin.
            logger.exception("Form notification for page %s not sent", self.pk)
