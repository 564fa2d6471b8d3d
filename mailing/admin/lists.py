"""The wagtail-modeladmin lists of the mailing app (subscribers, campaigns, deliveries) and
their menu group. Defined here, only registered in wagtail_hooks.py."""

from __future__ import annotations

from django.contrib.admin.utils import quote
from django.urls import reverse, reverse_lazy
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel
from wagtail_modeladmin.helpers import ButtonHelper
from wagtail_modeladmin.options import ModelAdmin, ModelAdminGroup

from renouveau.admin_permissions import NoCreatePermissionHelper, ReadOnlyPermissionHelper

from ..models import Campaign, Delivery, Subscriber
from .exports import SubscriberIndexView
from .followers import FollowersMenuItem
from .permissions import can_view_campaigns
from .segments import SegmentAdmin


class SubscriberButtonHelper(ButtonHelper):
    def get_buttons_for_obj(self, obj, exclude=None, classnames_add=None, classnames_exclude=None):
        buttons = super().get_buttons_for_obj(
            obj, ["delete", *(exclude or [])], classnames_add, classnames_exclude
        )
        # The subscriber's page (admin/subscriber.py): consent proof and history.
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
    index_view_class = SubscriberIndexView  # its export is « Exporter en CSV »
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
    items = (SubscriberAdmin, SegmentAdmin, CampaignAdmin, DeliveryAdmin)

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
