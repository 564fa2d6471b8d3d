from django.urls import path

from . import views, widgets
from .api import api

urlpatterns = [
    path("api/v1/", views.api_root, name="opendata_api_root"),
    path("api/v1/", api.urls),
    path("api/v1/documentation/", views.documentation, name="opendata_documentation"),
    path("api/catalogue.jsonld", views.catalogue, name="opendata_catalogue"),
    path("observatoire/partenaires/", widgets.partners, name="opendata_partners"),
    path("observatoire/partenaires/compteur/", widgets.counter, name="opendata_widget_compteur"),
    path("observatoire/partenaires/carte/", widgets.city_map, name="opendata_widget_carte"),
    path(
        "observatoire/partenaires/webinaires/",
        widgets.webinars,
        name="opendata_widget_webinaires",
    ),
    path(
        "observatoire/partenaires/suivre/<slug:slug>/",
        widgets.follow,
        name="opendata_widget_follow",
    ),
]
