from django.urls import path

from . import views

app_name = "works"

urlpatterns = [
    path("observatoire/", views.observatory_view, name="observatory"),
    path("observatoire/avancement-cites.csv", views.observatory_csv, name="observatory_csv"),
    path("observatoire/avancement-cites.json", views.observatory_json, name="observatory_json"),
    path("observatoire/widget/<slug:slug>/", views.widget, name="widget"),
]
