from django.urls import path

from . import views
from .link_views import follow_link

app_name = "mailing"

urlpatterns = [
    path("lettre/abonnement/", views.subscribe, name="subscribe"),
    path("lettre/abonnement/merci/", views.subscribe_done, name="subscribe_done"),
    path("lettre/abonnement/commencer/", views.subscribe_start, name="subscribe_start"),
    path("lettre/confirmation/<str:token>/", views.confirm, name="confirm"),
    path("lettre/desabonnement/", views.unsubscribe_help, name="unsubscribe_help"),
    path("lettre/desabonnement/<str:token>/", views.unsubscribe_view, name="unsubscribe"),
    path("lettre/l/<str:token>/", follow_link, name="link"),
    path("lettre/preferences/<str:token>/", views.preferences, name="preferences"),
    # Under the preferences path: the access-log filter masks the token (renouveau.logs).
    path("lettre/preferences/<str:token>/renouveler/", views.renew, name="renew"),
    path("lettre/suivre/<int:cite_id>/", views.follow, name="follow"),
    path("lettre/suivre/<int:cite_id>/merci/", views.follow_done, name="follow_done"),
    path("lettre/suivre/<int:cite_id>/commencer/", views.follow_start, name="follow_start"),
    path("lettre/suivi/<str:token>/", views.follow_confirm, name="follow_confirm"),
    path("lettre/ses-notifications/", views.ses_notifications, name="ses_notifications"),
]
