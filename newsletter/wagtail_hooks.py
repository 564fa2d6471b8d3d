from django.contrib.auth.models import Permission
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.action_menu import ActionMenuItem
from wagtail.admin.widgets import Button

from . import admin_views
from .models import NewsletterIssuePage
from .testsend import can_send_test


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path(
            "lettre/<int:page_id>/envoyer-un-test/",
            admin_views.send_test,
            name="newsletter_send_test",
        ),
        path(
            "lettre/<int:page_id>/ajouter-des-pages/",
            admin_views.add_pages,
            name="newsletter_add_pages",
        ),
    ]


class IssueMenuItem(ActionMenuItem):
    """An entry of the action menu of an issue being edited, to one of the admin views about it
    (`url_name`, given the issue's id), for the editors `allows` accepts."""

    url_name = ""

    def allows(self, context, page) -> bool:
        raise NotImplementedError

    def is_shown(self, context):
        page = context.get("page")
        return (
            context["view"] == "edit"
            and isinstance(page, NewsletterIssuePage)
            and self.allows(context, page)
        )

    def get_url(self, parent_context):
        return reverse(self.url_name, args=[parent_context["page"].pk])


class SendTestMenuItem(IssueMenuItem):
    label = "Envoyer un test"
    name = "action-send-test"
    icon_name = "mail"
    order = 60
    url_name = "newsletter_send_test"

    def allows(self, context, page):
        return can_send_test(context["request"].user, page)


@hooks.register("register_page_action_menu_item")
def register_send_test_menu_item():
    return SendTestMenuItem()


@hooks.register("register_page_header_buttons")
def send_test_header_button(page, user, view_name, next_url=None):
    if page.specific_class is NewsletterIssuePage and can_send_test(user, page):
        yield Button(
            "Envoyer un test",
            reverse("newsletter_send_test", args=[page.pk]),
            icon_name="mail",
            priority=35,
        )


class AddPagesMenuItem(IssueMenuItem):
    label = "Ajouter des pages en teasers"
    name = "action-add-pages"
    icon_name = "doc-full"
    order = 61
    url_name = "newsletter_add_pages"

    def allows(self, context, page):
        if context.get("locked_for_user"):
            return False
        return self.get_user_page_permissions_tester(context).can_edit()


@hooks.register("register_page_action_menu_item")
def register_add_pages_menu_item():
    return AddPagesMenuItem()


@hooks.register("register_permissions")
def register_permissions():
    return Permission.objects.filter(
        content_type__app_label="newsletter", codename="send_test_issue"
    )
