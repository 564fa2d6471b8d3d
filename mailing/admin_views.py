"""Staff side of the mailing app: wagtail-modeladmin lists (subscribers, campaigns, deliveries),
the "Envoyer aux abonnés" flow, campaign progress, CSV import/export, GDPR erasure and the
dashboard panel. Defined here, only registered in wagtail_hooks.py."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse, reverse_lazy
from django.utils import timezone
from django.views.decorators.http import require_http_methods
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel
from wagtail.admin.ui.components import Component
from wagtail_modeladmin.helpers import ButtonHelper
from wagtail_modeladmin.options import ModelAdmin, ModelAdminGroup

from cites_pages.models import Commune
from newsletter.checks import issue_checks
from renouveau.admin_permissions import NoCreatePermissionHelper, ReadOnlyPermissionHelper

from . import report, report_chart, sending
from .admin_campaigns import campaign_progress
from .admin_followers import FollowersMenuItem, followers_view
from .campaigns import log_event
from .counters import count_before_erasure
from .csv_io import IMPORT_COLUMNS, csv_lines, export_csv_lines, import_subscribers
from .models import Campaign, CampaignEvent, Delivery, Subscriber
from .subscriptions import CONSENT_TEXT_VERSION

SEND_PERMISSION = "mailing.send_campaign"


def can_send(user) -> bool:
    return user.is_active and user.has_perm(SEND_PERMISSION)


# --- modeladmin lists ---


class SubscriberButtonHelper(ButtonHelper):
    def get_buttons_for_obj(self, obj, exclude=None, classnames_add=None, classnames_exclude=None):
        buttons = super().get_buttons_for_obj(
            obj, ["delete", *(exclude or [])], classnames_add, classnames_exclude
        )
        # The subscriber's page (admin_subscriber.py): consent proof and history.
        buttons.insert(
            0,
            {
                "url": reverse("mailing_admin_subscriber", args=[quote(obj.pk)]),
                "label": "Fiche",
                "classname": "button button-small",
                "title": f"Consentement et historique de {obj.email}",
            },
        )
        if self.request.user.has_perm("mailing.delete_subscriber"):
            buttons.append(
                {
                    "url": reverse("mailing_admin_erase", args=[quote(obj.pk)]),
                    "label": "Effacer (RGPD)",
                    "classname": "button button-small button-secondary no",
                    "title": f"Effacer toutes les données de {obj.email}",
                }
            )
        return buttons


class SubscriberAdmin(ModelAdmin):
    model = Subscriber
    menu_label = "Abonnés"
    menu_icon = "user"
    menu_order = 100
    permission_helper_class = NoCreatePermissionHelper
    button_helper_class = SubscriberButtonHelper
    list_display = (
        "email",
        "first_name",
        "profile",
        "status",
        "consent_at",
        "confirmed_at",
        "mail_error",
        "mail_error_at",
    )
    list_filter = (
        "status",
        "newsletter",
        "cites",
        "profile",
        "communes",
        "renewal_flagged_at",
        "mail_error_at",
    )
    search_fields = ("email", "first_name")
    list_per_page = 50
    index_template_name = "mailing/admin/subscriber_index.html"
    panels = [FieldPanel("first_name"), FieldPanel("profile"), FieldPanel("communes")]

    def get_queryset(self, request):
        return super().get_queryset(request).order_by("-created_at")


class CampaignButtonHelper(ButtonHelper):
    def get_buttons_for_obj(self, obj, exclude=None, classnames_add=None, classnames_exclude=None):
        return [
            {
                "url": reverse("mailing_admin_campaign", args=[obj.pk]),
                "label": "Suivi",
                "classname": "button button-small",
                "title": f"Suivi de l'envoi « {obj.subject} »",
            },
            {
                "url": reverse("mailing_admin_campaign_report", args=[obj.pk]),
                "label": "Rapport",
                "classname": "button button-small button-secondary",
                "title": f"Rapport de la campagne « {obj.subject} »",
            },
        ]


class CampaignAdmin(ModelAdmin):
    model = Campaign
    menu_label = "Campagnes"
    menu_icon = "mail"
    menu_order = 200
    permission_helper_class = ReadOnlyPermissionHelper
    button_helper_class = CampaignButtonHelper
    list_display = (
        "subject",
        "status",
        "segment_label",
        "recipient_count",
        "sent_count",
        "failed_count",
        "bounce_count",
        "complaint_count",
        "created_at",
    )
    list_filter = ("status", "kind")
    search_fields = ("subject",)
    inspect_view_enabled = False


class DeliveryAdmin(ModelAdmin):
    model = Delivery
    menu_label = "Envois"
    menu_icon = "list-ul"
    menu_order = 300
    permission_helper_class = ReadOnlyPermissionHelper
    list_display = ("subscriber", "campaign", "status", "attempts", "sent_at", "error")
    list_filter = ("status", "campaign")
    search_fields = ("subscriber__email", "ses_message_id")
    list_per_page = 100

    def get_queryset(self, request):
        # One query per page however long the list (no per-row subscriber/campaign lookups).
        return super().get_queryset(request).select_related("subscriber", "campaign")


class MailingGroup(ModelAdminGroup):
    menu_label = "Lettre : abonnés"
    menu_icon = "mail"
    menu_order = 250
    items = (SubscriberAdmin, CampaignAdmin, DeliveryAdmin)

    def get_submenu_items(self):
        return [*super().get_submenu_items(), CompareMenuItem(), FollowersMenuItem()]


class CompareMenuItem(MenuItem):
    def __init__(self):
        super().__init__(
            "Comparer les campagnes",
            reverse_lazy("mailing_admin_campaign_compare"),
            icon_name="table",
            order=100,
        )

    def is_shown(self, request):
        return can_view_campaigns(request.user)


# --- "Envoyer aux abonnés" ---


class SegmentForm(forms.Form):
    profiles = forms.MultipleChoiceField(
        label="Profils",
        choices=Subscriber.Profile.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Aucun coché : tous les profils.",
    )
    communes = forms.ModelMultipleChoiceField(
        label="Communes d'intérêt",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Aucune cochée : toutes les communes (et les abonnés sans commune).",
    )
    webinar_announcement = forms.BooleanField(
        label="Annonce de webinaire",
        required=False,
        help_text="Coché : envoyer aux abonnés qui ont choisi les annonces de webinaires (qu'ils "
        "reçoivent la lettre ou non), au lieu des abonnés à la lettre.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["communes"].queryset = Commune.objects.all()

    def segment(self) -> sending.Segment:
        data = self.cleaned_data if self.is_valid() else {}
        return sending.Segment(
            profiles=tuple(data.get("profiles") or ()),
            commune_ids=tuple(c.pk for c in data.get("communes") or ()),
            webinar_announcement=bool(data.get("webinar_announcement")),
        )


class ScheduleForm(forms.Form):
    """« Programmer l'envoi »: empty sends now; a date and time (Europe/Paris) programs it."""

    scheduled_for = forms.DateTimeField(
        label="Programmer l'envoi (facultatif)",
        required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text="Laissez vide pour envoyer tout de suite. Heure de Paris. Annulable jusqu'au "
        "départ de l'envoi.",
        error_messages={
            "invalid": "Saisissez une date et une heure valides, par exemple 12/01/2027 09:00."
        },
    )

    def clean_scheduled_for(self):
        when = self.cleaned_data.get("scheduled_for")
        if when is None:
            return None
        now = timezone.now()
        if when <= now + timedelta(minutes=1):
            raise forms.ValidationError("Choisissez une date et une heure à venir.")
        if when > now + timedelta(days=366):
            raise forms.ValidationError("Programmez l'envoi dans l'année qui vient.")
        return when


def presend_rendering(issue) -> Any:
    """The published issue (the page row holds it) rendered as a campaign sends it: rendered
    once for the form's warnings and, on confirmation, for the campaign itself."""
    from newsletter.rendering import UNSUBSCRIBE_URL_PLACEHOLDER, render_issue

    return render_issue(issue, unsubscribe_url=UNSUBSCRIBE_URL_PLACEHOLDER)


@require_http_methods(["GET", "POST"])
def send_to_subscribers(request: HttpRequest, page_id: int) -> HttpResponse:
    from newsletter.models import NewsletterIssuePage

    if not can_send(request.user):
        raise PermissionDenied
    issue = get_object_or_404(NewsletterIssuePage, pk=page_id)
    form = SegmentForm(request.POST if request.method == "POST" else request.GET or None)
    if form.is_bound and not form.is_valid():
        return TemplateResponse(
            request, "mailing/admin/send.html", {"issue": issue, "form": form}, status=400
        )
    segment = form.segment() if form.is_bound else sending.Segment()
    audience = sending.recipients(segment)
    problems: list[str] = []
    if not issue.live:
        problems.append("La lettre n'est pas publiée : publiez-la avant de l'envoyer.")
    schedule = ScheduleForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and not schedule.is_valid():
        problems.extend(schedule.errors.get("scheduled_for", []))
    rendered = presend_rendering(issue) if issue.live else None
    # The one list of checks (newsletter.checks.issue_checks): its warnings need the tick.
    warnings = issue_checks(issue, rendered).warnings if rendered else []
    acknowledged = request.POST.get("acknowledge_warnings") == "1"
    if request.method == "POST" and warnings and not acknowledged:
        problems.append("Cochez la case pour confirmer que vous avez lu les avertissements.")
    if request.method == "POST" and not problems:
        if request.POST.get("confirm_count") != str(audience.count()):
            problems.append(
                "Le nombre de destinataires a changé depuis l'affichage : vérifiez et confirmez."
            )
        else:
            try:
                campaign = sending.create_campaign(
                    issue, segment, user=request.user, rendered=rendered
                )
            except sending.CampaignError as error:
                problems.extend(error.problems)
            else:
                if warnings:
                    log_event(
                        campaign,
                        CampaignEvent.Kind.WARNINGS,
                        "Envoi confirmé malgré les avertissements : " + " / ".join(warnings),
                        request.user,
                    )
                when = schedule.cleaned_data.get("scheduled_for")
                if when:
                    sending.schedule_campaign(campaign, when, user=request.user)
                    messages.success(
                        request,
                        f"Envoi de « {campaign.subject} » programmé le "
                        f"{timezone.localtime(when):%d/%m/%Y à %H:%M}.",
                    )
                else:
                    sending.start_campaign(campaign)
                    messages.success(
                        request,
                        f"Envoi de « {campaign.subject} » lancé pour "
                        f"{campaign.recipient_count} destinataire(s).",
                    )
                return redirect("mailing_admin_campaign", campaign.pk)
    previous = Campaign.objects.filter(issue=issue).order_by("-created_at")[:5]
    return TemplateResponse(
        request,
        "mailing/admin/send.html",
        {
            "issue": issue,
            "form": form,
            "segment_label": segment.label(),
            "count": audience.count(),
            "preview": audience.order_by("email").only("email", "first_name", "profile")[:20],
            "problems": problems,
            "warnings": warnings,
            "schedule": schedule,
            "previous": previous,
            "unpublished_changes": issue.has_unpublished_changes,
            "edit_url": reverse("wagtailadmin_pages:edit", args=[issue.pk]),
        },
        status=422 if problems and request.method == "POST" else 200,
    )


# --- CSV import / export, erasure ---


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Fichier CSV",
        help_text="Colonnes : " + ", ".join(IMPORT_COLUMNS) + " (seule « email » est obligatoire).",
    )
    source = forms.CharField(
        label="Source du consentement",
        max_length=250,
        help_text="Où et comment ces personnes ont accepté de recevoir la lettre, par exemple "
        "« Fiches papier, réunion publique de Rouvroy, 12/05/2026 ».",
    )
    consent_text_version = forms.CharField(
        label="Version du texte de consentement", max_length=40, initial=CONSENT_TEXT_VERSION
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 10 * 1024 * 1024:
            raise forms.ValidationError("Fichier trop volumineux (10 Mo au plus).")
        raw = upload.read()
        for encoding in ("utf-8-sig", "cp1252"):
            try:
                return raw.decode(encoding)
            except UnicodeDecodeError:
                continue
        raise forms.ValidationError("Encodage du fichier non reconnu (UTF-8 attendu).")


@require_http_methods(["GET", "POST"])
def import_view(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("mailing.add_subscriber"):
        raise PermissionDenied
    report = None
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        report = import_subscribers(
            form.cleaned_data["file"],
            source=form.cleaned_data["source"],
            consent_text_version=form.cleaned_data["consent_text_version"],
        )
        messages.success(
            request,
            f"{report.created} abonné(s) importé(s), {report.skipped} ligne(s) écartée(s).",
        )
    return TemplateResponse(
        request,
        "mailing/admin/import.html",
        {"form": form, "report": report},
        status=400 if request.method == "POST" and not form.is_valid() else 200,
    )


def filtered_subscribers(request: HttpRequest):
    """The subscriber list as filtered in the admin list (same query-string parameters)."""
    queryset = Subscriber.objects.order_by("email")
    status = request.GET.get("status__exact")
    if status in Subscriber.Status.values:
        queryset = queryset.filter(status=status)
    profile = request.GET.get("profile__exact")
    if profile in Subscriber.Profile.values:
        queryset = queryset.filter(profile=profile)
    commune = request.GET.get("communes__id__exact", "")
    if commune.isdigit():
        queryset = queryset.filter(communes__id=int(commune))
    search = request.GET.get("q", "").strip()
    if search:
        queryset = queryset.filter(Q(email__icontains=search) | Q(first_name__icontains=search))
    return queryset


def export_view(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("mailing.view_subscriber") and not request.user.has_perm(
        "mailing.change_subscriber"
    ):
        raise PermissionDenied
    response = StreamingHttpResponse(
        export_csv_lines(filtered_subscribers(request)), content_type="text/csv; charset=utf-8"
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="abonnes-{stamp}.csv"'
    return response


@require_http_methods(["GET", "POST"])
def erase_view(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.has_perm("mailing.delete_subscriber"):
        raise PermissionDenied
    subscriber = get_object_or_404(Subscriber, pk=pk)
    if request.method == "POST":
        email = subscriber.email
        erase_subscriber(subscriber)
        messages.success(request, f"Toutes les données de {email} ont été effacées.")
        return redirect("mailing_subscriber_modeladmin_index")
    return TemplateResponse(
        request,
        "mailing/admin/erase.html",
        {"subscriber": subscriber, "deliveries": subscriber.deliveries.count()},
    )


def erase_subscriber(subscriber: Subscriber) -> None:
    """GDPR erasure: the subscriber, their communes and their per-campaign delivery rows go;
    campaign totals (counters stored on the campaign) stay."""
    count_before_erasure(subscriber)
    subscriber.delete()


# --- Campaign reports (aggregate counts only: report.py) ---


def can_view_campaigns(user) -> bool:
    return can_send(user) or user.has_perm("mailing.view_campaign")


def _csv_response(rows, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(csv_lines(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def campaign_report_view(request: HttpRequest, pk: int) -> HttpResponse:
    if not can_view_campaigns(request.user):
        raise PermissionDenied
    result = report.campaign_report(get_object_or_404(Campaign, pk=pk))
    rates = result.rates
    measures = [
        # « — » where there is nothing to measure yet (no mail sent, none said delivered).
        (label, getattr(result, name), (report.percent(rates[name]) or "—") if rate_label else "")
        for name, label, rate_label in report.MEASURES
    ]
    return TemplateResponse(
        request,
        "mailing/admin/report.html",
        {
            "campaign": result.campaign,
            "report": result,
            "measures": measures,
            "outcomes_chart": report_chart.bar_chart(
                "chart-outcomes",
                "Devenir des courriels de la campagne",
                [(label, value) for label, value, _ in measures],
            ),
            "links_chart": report_chart.bar_chart(
                "chart-links",
                "Clics par lien",
                [(f"{ln.position}. {ln.label or ln.url}", ln.clicks) for ln in result.links],
            )
            if result.links
            else "",
        },
    )


def campaign_report_csv(request: HttpRequest, pk: int) -> HttpResponse:
    if not can_view_campaigns(request.user):
        raise PermissionDenied
    result = report.campaign_report(get_object_or_404(Campaign, pk=pk))
    return _csv_response(report.report_rows(result), f"rapport-campagne-{pk}.csv")


def _compared(request: HttpRequest) -> list[report.CampaignReport]:
    count = request.GET.get("n", "")
    kind = request.GET.get("type", Campaign.Kind.NEWSLETTER)
    return report.reports(
        report.recent_campaigns(
            int(count) if count.isdigit() else report.COMPARE_DEFAULT,
            kind if kind in Campaign.Kind.values else Campaign.Kind.NEWSLETTER,
        )
    )


def compare_view(request: HttpRequest) -> HttpResponse:
    if not can_view_campaigns(request.user):
        raise PermissionDenied
    results = _compared(request)
    dates = [timezone.localtime(r.campaign.started_at).strftime("%d/%m/%y") for r in results]
    rates = [r.rates for r in results]
    rated = [(name, rate_label) for name, _, rate_label in report.MEASURES if rate_label]
    problems = [
        (rate_label, [rate[name] for rate in rates])
        for name, rate_label in rated
        if name in ("hard_bounces", "soft_bounces", "complaints", "unsubscribes")
    ]
    clicks = [("Clics pour 100 courriels remis", [rate["clicks"] for rate in rates])]
    return TemplateResponse(
        request,
        "mailing/admin/report_compare.html",
        {
            "rate_labels": [rate_label for _, rate_label in rated],
            "rows": [
                (r, [report.percent(rate[name]) for name, _ in rated])
                for r, rate in zip(results, rates, strict=True)
            ],
            "choices": [6, report.COMPARE_DEFAULT, 24, report.COMPARE_MAX],
            "selected": request.GET.get("n", str(report.COMPARE_DEFAULT)),
            "kinds": Campaign.Kind.choices,
            "kind": request.GET.get("type", Campaign.Kind.NEWSLETTER),
            "problems_chart": report_chart.line_chart(
                "chart-problems",
                "Rebonds, plaintes et désabonnements par campagne (% des envois)",
                dates,
                problems,
            ),
            "clicks_chart": report_chart.line_chart(
                "chart-clicks",
                "Clics pour 100 courriels remis, par campagne",
                dates,
                clicks,
                unit="",
            ),
        },
    )


def compare_csv(request: HttpRequest) -> HttpResponse:
    if not can_view_campaigns(request.user):
        raise PermissionDenied
    stamp = timezone.localdate().isoformat()
    return _csv_response(
        report.comparison_rows(_compared(request)), f"comparaison-campagnes-{stamp}.csv"
    )


def admin_urls() -> list:
    return [
        path("mailing/envoyer/<int:page_id>/", send_to_subscribers, name="mailing_admin_send"),
        path("mailing/campagne/<int:pk>/", campaign_progress, name="mailing_admin_campaign"),
        path("mailing/abonnes/import/", import_view, name="mailing_admin_import"),
        path("mailing/abonnes/export.csv", export_view, name="mailing_admin_export"),
        path("mailing/abonnes/<int:pk>/effacer/", erase_view, name="mailing_admin_erase"),
        path(
            "mailing/campagne/<int:pk>/rapport/",
            campaign_report_view,
            name="mailing_admin_campaign_report",
        ),
        path(
            "mailing/campagne/<int:pk>/rapport.csv",
            campaign_report_csv,
            name="mailing_admin_campaign_report_csv",
        ),
        path("mailing/cites-suivies/", followers_view, name="mailing_admin_followers"),
        path("mailing/campagnes/comparer/", compare_view, name="mailing_admin_campaign_compare"),
        path(
            "mailing/campagnes/comparer.csv",
            compare_csv,
            name="mailing_admin_campaign_compare_csv",
        ),
    ]


# --- Dashboard ---


class MailingDashboardPanel(Component):
    name = "mailing"
    order = 150
    template_name = "mailing/admin/dashboard_panel.html"

    def get_context_data(self, parent_context=None):
        counts = dict(
            Subscriber.objects.values("status")
            .annotate(n=Count("id"))
            .order_by()
            .values_list("status", "n")
        )
        last = Campaign.objects.exclude(status=Campaign.Status.DRAFT).order_by("-created_at")
        return {
            "counts": [(label, counts.get(value, 0)) for value, label in Subscriber.Status.choices],
            "to_renew": Subscriber.objects.filter(
                status=Subscriber.Status.CONFIRMED, renewal_flagged_at__isnull=False
            ).count(),
            "last_campaign": last.first(),
        }
