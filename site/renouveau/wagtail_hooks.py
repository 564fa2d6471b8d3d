"""Wagtail admin entries of the site package: unlocking admin accounts locked by django-axes;
the editor's block definitions, rich-text page links and many-to-many values made cheaper
(editor_blocks.py, editor_links.py, widgets.py)."""

from django.core.signals import request_finished
from django.db import models
from django.urls import reverse
from wagtail import hooks
from wagtail.admin.forms.models import register_form_field_override
from wagtail.admin.menu import MenuItem

from . import editor_blocks, editor_links, widgets
from .admin_lockouts import admin_urls as lockout_urls

editor_blocks.register()
register_form_field_override(
    models.ManyToManyField, override={"form_class": widgets.KeysMultipleChoiceField}
)
# order=1: after Wagtail's own "link" rule (wagtail.admin comes after us in INSTALLED_APPS).
hooks.register("register_rich_text_features", editor_links.register_link_rule, order=1)
hooks.register("before_edit_page", editor_links.prefetch_page_links)
request_finished.connect(editor_links.forget_page_links, dispatch_uid="editor-page-links")


class SuperuserMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return request.user.is_superuser


@hooks.register("register_settings_menu_item")
def register_login_lockouts_menu_item():
    # A Wagtail view (admin_lockouts.py): staff never land in the Django admin.
    return SuperuserMenuItem(
        "Connexions bloquées",
        reverse("renouveau_admin_lockouts"),
        icon_name="lock",
        order=900,
    )


@hooks.register("register_admin_urls")
def register_lockout_urls():
    return lockout_urls()
