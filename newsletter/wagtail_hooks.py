from django.contrib.auth.models import Permission
from django.urls import path
from wagtail import hooks

from . import admin_views
from .admin_actions import IssueMenuItem


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path(
            "lettre/<int:page_id>/ajouter-des-pages/",
            admin_views.add_pages,
            name="newsletter_add_pages",
        ),
    ]


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
