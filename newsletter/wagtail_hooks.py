from django.contrib.auth.models import Permission
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.action_menu import ActionMenuItem

from . import admin_views
from .models import NewsletterIssuePage


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
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
