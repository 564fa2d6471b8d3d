"""Registration only: the admin lists and views live in the admin/ package."""

from django.contrib.auth.models import Permission
from django.urls import reverse
from wagtail import hooks
from wagtail.admin.widgets import Button
from wagtail_modeladmin.options import modeladmin_register

from newsletter.admin_actions import IssueMenuItem
from newsletter.models import NewsletterIssuePage
from newsletter.testsend import can_send_test

from .admin.dashboard import MailingDashboardPanel
from .admin.lists import MailingGroup
from .admin.permissions import can_send
from .admin.urls import admin_urls

modeladmin_register(MailingGroup)


@hooks.register("register_admin_urls")
def register_admin_urls():
    return admin_urls()


def _is_issue(page) -> bool:
    return isinstance(page, NewsletterIssuePage) or (
        getattr(page, "specific_class", None) is NewsletterIssuePage
    )


class SendTestMenuItem(IssueMenuItem):
    label = "Envoyer un test"
    name = "action-send-test"
    icon_name = "mail"
    order = 60
    url_name = "newsletter_send_test"

    def allows(self, context, page):
        return can_send_test(context["request"].user, page)


class SendToSubscribersMenuItem(IssueMenuItem):
    label = "Envoyer aux abonnés"
    name = "action-send-to-subscribers"
    icon_name = "mail"
    order = 70
    url_name = "mailing_admin_send"

    def allows(self, context, page):
        return page.live and can_send(context["request"].user)


@hooks.register("register_page_action_menu_item")
def register_send_test_menu_item():
    return SendTestMenuItem()


@hooks.register("register_page_action_menu_item")
def register_send_menu_item():
    return SendToSubscribersMenuItem()


@hooks.register("register_page_header_buttons")
def issue_header_buttons(page, user, view_name, next_url=None):
    """The same two actions in the issue's header menu (also outside the editor)."""
    if not _is_issue(page):
        return
    if can_send_test(user, page):
        url = reverse("newsletter_send_test", args=[page.pk])
        yield Button("Envoyer un test", url, icon_name="mail", priority=35)
    if page.live and can_send(user):
        url = reverse("mailing_admin_send", args=[page.pk])
        yield Button("Envoyer aux abonnés", url, icon_name="mail", priority=40)


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
