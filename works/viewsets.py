"""The admin list of works operations (one per cité), registered in wagtail_hooks.py."""

from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Operation


class OperationViewSet(SnippetViewSet):
    model = Operation
    icon = "calendar"
    menu_label = "Suivi des travaux"
    menu_name = "works"
    add_to_admin_menu = True
    menu_order = 250
    list_display = ["city", "landlord", "dwellings_planned", "updated_at"]
    list_filter = ["landlord"]
    search_fields = ["city__title"]
    ordering = ["city__sort_title"]
