"""Registration only: the admin lists and views live in admin_views.py."""

from django.contrib.auth.models import Permission
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.action_menu import ActionMenuItem
from wagtail.admin.widgets import Button
from wagtail_modeladmin.options import modeladmin_register

from newsletter.testsend import can_send_test

from .admin_test_send import send_test_view
from .admin_views import MailingDashboardPanel, MailingGroup, admin_urls, can_send

modeladmin_register(MailingGroup)


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        *admin_urls(),
        path("lettre/<int:page_id>/envoyer-un-test/", send_test_view, name="newsletter_send_test"),
    ]


def _is_issue(page) -> bool:
    from newsletter.models import NewsletterIssuePage

    return isinstance(page, NewsletterIssuePage) or (
        getattr(page, "specific_class", None) is NewsletterIssuePage
    )


class SendTestMenuItem(ActionMenuItem):
    label = "Envoyer un test"
    name = "action-send-test"
    icon_name = "mail"
    order = 60

    def is_shown(self, context):
        page = context.get("page")
        return (
            context["view"] == "edit"
            and _is_issue(page)
            and can_send_test(context["request"].user, page)
        )

    def get_url(self, parent_context):
        return reverse("newsletter_send_test", args=[parent_context["page"].pk])


@hooks.register("register_page_action_menu_item")
def register_send_test_menu_item():
    return SendTestMenuItem()


@hooks.register("register_page_header_buttons")
def send_test_header_button(page, user, view_name, next_url=None):
    if _is_issue(page) and can_send_test(user, page):
        yield Button(
            "Envoyer un test",
            reverse("newsletter_send_test", args=[page.pk]),
            icon_name="mail",
            priority=35,
        )


class SendToSubscribersMenuItem(ActionMenuItem):
    label = "Envoyer aux abonnés"
    name = "action-send-to-subscribers"
    icon_name = "mail"
    order = 70

    def is_shown(self, context):
        page = context.get("page")
        return (
            context["view"] == "edit"
            and _is_issue(page)
            and page.live
            and can_send(context["request"].user)
        )

    def get_url(self, parent_context):
        return reverse("mailing_admin_send", args=[parent_context["page"].pk])


@hooks.register("register_page_action_menu_item")
def register_send_menu_item():
    return SendToSubscribersMenuItem()


@hooks.register("register_page_header_buttons")
def send_to_subscribers_header_button(page, user, view_name, next_url=None):
    if _is_issue(page) and page.live and can_send(user):
        yield Button(
            "Envoyer aux abonnés",
            reverse("mailing_admin_send", args=[page.pk]),
            icon_name="mail",
            priority=40,
        )


@hooks.register("register_permissions")
def register_permissions():
    return Permission.objects.filter(content_type__app_label="mailing", codename="send_campaign")


@hooks.register("construct_homepage_panels")
def add_dashboard_panel(request, panels):
    if request.user.has_perm("mailing.view_subscriber") or can_send(request.user):
        panels.append(MailingDashboardPanel())


@hooks.register("newsletter_archive_sections")
def subscription_form_on_the_archive(index_page, request):
    """The newsletter archive (/lettre/) shows the subscription form above the issues."""
    return {"template": "mailing/includes/archive_section.html", "order": 10}
