"""Wagtail admin entries of the site package: unlocking admin accounts locked by django-axes."""

from django.urls import reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem


class SuperuserMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return request.user.is_superuser


@hooks.register("register_settings_menu_item")
def register_login_lockouts_menu_item():
    # django-axes' own admin lists the failed attempts and lockouts; deleting a row unlocks it.
    return SuperuserMenuItem(
        "Connexions bloquées",
        reverse("admin:axes_accessattempt_changelist"),
        icon_name="lock",
        order=900,
    )
