from django.urls import path

from . import views

app_name = "webinar_registrations"

urlpatterns = [
    path("webinaires/<int:page_id>/inscription/", views.register, name="register"),
    path("webinaires/<int:page_id>/inscription/merci/", views.register_done, name="done"),
    path("webinaires/inscription/annuler/<str:token>/", views.cancel_view, name="cancel"),
]
