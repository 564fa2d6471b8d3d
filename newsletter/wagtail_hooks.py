from django.contrib.auth.models import Permission
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.widgets import Button

from . import admin_views
from .admin_actions import IssueMenuItem
from .models import NewsletterIndexPage


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path(
            "lettre/<int:page_id>/ajouter-des-pages/",
            admin_views.add_pages,
            name="newsletter_add_pages",
        ),
        path(
            "lettre/<int:page_id>/a-partir-du-precedent/",
            admin_views.create_from_previous,
            name="newsletter_create_from_previous",
        ),
    ]


@hooks.register("register_page_header_buttons")
def index_header_buttons(page, user, view_name, next_url=None):
    """« Créer à partir du numéro précédent » on the letter's archive (its listing and editor)."""
    if isinstance(page.specific_deferred, NewsletterIndexPage) and (
        page.permissions_for_user(user).can_add_subpage()
    ):
        url = reverse("newsletter_create_from_previous", args=[page.pk])
        yield Button("Créer à partir du numéro précédent", url, icon_name="copy", priority=20)


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
