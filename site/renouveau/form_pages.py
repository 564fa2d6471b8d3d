"""Forms editors build in the admin (Wagtail's form builder): contact form, surveys, calls for
participation… Submissions are listed in the admin (« Formulaires ») with CSV/Excel export.

The same abuse protection as the site's other public forms (renouveau.abuse: honeypot; a
django-ratelimit counter per visitor IP, renouveau.client_ip), and the optional staff
notification goes through the site's one mail path (renouveau.mail)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import models
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django_ratelimit.core import is_ratelimited
from modelcluster.fields import ParentalKey
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.forms.forms import FormBuilder
from wagtail.contrib.forms.models import AbstractFormField, EmailFormMixin, FormMixin
from wagtail.contrib.forms.panels import FormSubmissionsPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from .abuse import HoneypotForm
from .accessibility import LEGAL_RICH_TEXT
from .mail import send_mail_message
from .pages import BasePage

logger = logging.getLogger(__name__)

FORM_RATE_PER_IP = "10/h"

# The thank-you page is reached by a redirect after the POST (POST/redirect/GET), so that
# reloading it never sends the answer again; the parameter only selects the landing template.
SENT_PARAM = "envoye"

_NBSP = "\u00a0"


def _quoted(label: str) -> str:
    return f"«{_NBSP}{label}{_NBSP}»"


def specific_error_messages(field_type: str, label: str) -> dict[str, str]:
    """What a visitor reads when a field of an editor-built form is left empty or mistyped: the
    field's own words rather than the framework's « Champ requis. »."""
    if field_type == "email":
        return {
            "required": "Indiquez votre adresse e-mail.",
            "invalid": "Saisissez une adresse e-mail valide, par exemple nom@exemple.fr.",
        }
    if field_type == "checkbox":
        return {"required": f"Cochez la case {_quoted(label)}."}
    if field_type == "checkboxes":
        return {"required": f"Cochez au moins une réponse à {_quoted(label)}."}
    if field_type in ("dropdown", "radio", "multiselect"):
        return {
            "required": f"Choisissez une réponse à {_quoted(label)}.",
            "invalid_choice": f"Choisissez une réponse de la liste {_quoted(label)}.",
        }
    messages = {"required": f"Renseignez le champ {_quoted(label)}."}
    if field_type == "date":
        messages["invalid"] = "Saisissez une date valide, par exemple 20/06/2026."
    elif field_type == "datetime":
        messages["invalid"] = "Saisissez une date et une heure, par exemple 20/06/2026 14:00."
    elif field_type == "number":
        messages["invalid"] = "Saisissez un nombre, par exemple 12."
    elif field_type == "url":
        messages["invalid"] = "Saisissez une adresse web valide, par exemple https://exemple.fr."
    return messages


class FrenchFormBuilder(FormBuilder):
    def get_field_options(self, field):
        options = super().get_field_options(field)
        options["error_messages"] = specific_error_messages(field.field_type, field.label)
        return options


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
    form_builder = FrenchFormBuilder

    def get_submissions_list_view_class(self):
        """Answers exported through the site's one CSV writer (formulas defused)."""
        from .form_exports import SafeSubmissionsListView  # needs the models loaded

        return SafeSubmissionsListView

    class Meta:
        verbose_name = "formulaire"
        verbose_name_plural = "formulaires"

    def render_landing_page(self, request, form_submission=None, *args, **kwargs):
        return HttpResponseRedirect(f"{request.path}?{SENT_PARAM}=1", status=303)

    def serve(self, request, *args, **kwargs):
        if request.method == "GET" and SENT_PARAM in request.GET:
            return super().render_landing_page(request, None, *args, **kwargs)
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
