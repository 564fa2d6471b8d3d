"""Public URLs of the documents app (included at the site root by renouveau.urls)."""

from django.urls import include, path

from . import views

app_name = "documents"

urlpatterns = [
    path(
        "ressources/",
        include(
            [
                path("telecharger/<str:token>/", views.download_view, name="download"),
                path("ses-entrant/", views.ses_inbound_view, name="ses_inbound"),
            ]
        ),
    ),
]
