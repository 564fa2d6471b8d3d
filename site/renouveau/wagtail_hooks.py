"""Wagtail admin entries of the site package: unlocking admin accounts locked by django-axes."""

from django.urls import reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .admin_lockouts import admin_urls as lockout_urls


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
