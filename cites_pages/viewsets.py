"""Admin lists of the reference data (snippets), grouped under one « Référentiel » menu."""

from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import EPCI, Commune, Landlord, NewsCategory, Organisation, Theme


class CommuneViewSet(SnippetViewSet):
    model = Commune
    icon = "home"
    list_display = ["name", "insee_code", "department", "epci"]
    list_filter = ["department", "epci"]
    search_fields = ["name", "insee_code"]
    ordering = ["name"]


class EPCIViewSet(SnippetViewSet):
    model = EPCI
    icon = "group"
    list_display = ["name", "short_name"]
    search_fields = ["name", "short_name"]


class LandlordViewSet(SnippetViewSet):
    model = Landlord
    icon = "key"
    list_display = ["name", "website"]


class OrganisationViewSet(SnippetViewSet):
    model = Organisation
    icon = "site"
    list_display = ["name", "short_name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name"]


class ThemeViewSet(SnippetViewSet):
    model = Theme
    icon = "tag"
    list_display = ["name", "sort_order"]
    ordering = ["sort_order", "name"]


class NewsCategoryViewSet(SnippetViewSet):
    model = NewsCategory
    icon = "tag"
    list_display = ["name"]


class ReferenceDataGroup(SnippetViewSetGroup):
    menu_label = "Référentiel"
    menu_icon = "folder-open-inverse"
    menu_order = 250
    items = (
        CommuneViewSet,
        EPCIViewSet,
        LandlordViewSet,
        OrganisationViewSet,
        ThemeViewSet,
        NewsCategoryViewSet,
    )
