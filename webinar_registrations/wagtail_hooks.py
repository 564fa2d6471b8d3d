"""Registration only: the admin views live in admin_views.py."""

from django.contrib.auth.models import Permission
from django.urls import reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import Button

from cites_pages.models import WebinarPage

from .admin_views import admin_urls, can_view
from .registrations import full_webinar_ids


@hooks.register("register_admin_urls")
def register_admin_urls():
    return admin_urls()


class RegistrationsMenuItem(MenuItem):
    def is_shown(self, request):
        return can_view(request.user)


@hooks.register("register_admin_menu_item")
def register_menu_item():
    return RegistrationsMenuItem(
        "Inscriptions aux webinaires",
        reverse("webinar_registrations_admin"),
        icon_name="calendar",
        order=260,
    )


@hooks.register("register_page_header_buttons")
def registrants_header_button(page, user, view_name, next_url=None):
    if getattr(page, "specific_class", None) is WebinarPage and can_view(user):
        yield Button(
            "Inscrits",
            reverse("webinar_registrations_admin_webinar", args=[page.pk]),
            icon_name="group",
            priority=45,
        )


@hooks.register("register_permissions")
def register_permissions():
    # Registrations come from the public: staff view them, and change attendance and places.
    return Permission.objects.filter(
        content_type__app_label="webinar_registrations",
        codename__in=["view_registration", "change_registration"],
    )


@hooks.register("webinar_full_ids")
def full_webinars(ids):
    """For cites_pages' « Complet » badge (cites_pages.webinars.FULL_HOOK)."""
    return full_webinar_ids(ids)
