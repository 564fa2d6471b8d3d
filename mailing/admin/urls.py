"""The mailing app's admin URLs (registered in wagtail_hooks.py). Unchanged addresses."""

from __future__ import annotations

from django.urls import path

from .campaign import campaign_progress
from .exports import export_view
from .followers import followers_view
from .imports import import_view
from .lists import SubscriberAdmin
from .reports import campaign_report_csv, campaign_report_view, compare_csv, compare_view
from .segments import segment_count_view
from .send import send_to_subscribers
from .subscriber import erase_view, subscriber_view
from .test_send import send_test_view


def admin_urls() -> list:
    return [
        path("mailing/envoyer/<int:page_id>/", send_to_subscribers, name="mailing_admin_send"),
        path("mailing/campagne/<int:pk>/", campaign_progress, name="mailing_admin_campaign"),
        path("mailing/abonnes/import/", import_view, name="mailing_admin_import"),
        path(
            "mailing/abonnes/export.csv",
            export_view,
            {"model_admin": SubscriberAdmin()},
            name="mailing_admin_export",
        ),
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
        path("mailing/abonnes/<int:pk>/", subscriber_view, name="mailing_admin_subscriber"),
        path("mailing/segments/compter/", segment_count_view, name="mailing_admin_segment_count"),
        path("mailing/cites-suivies/", followers_view, name="mailing_admin_followers"),
        path("mailing/campagnes/comparer/", compare_view, name="mailing_admin_campaign_compare"),
        path(
            "mailing/campagnes/comparer.csv",
            compare_csv,
            name="mailing_admin_campaign_compare_csv",
        ),
        path("lettre/<int:page_id>/envoyer-un-test/", send_test_view, name="newsletter_send_test"),
    ]


#####DASH
