from django.apps import AppConfig


class WebinarRegistrationsConfig(AppConfig):
    """Registrations to upcoming webinars: form, confirmation with .ics, reminders, replay."""

    name = "webinar_registrations"
    verbose_name = "Inscriptions aux webinaires"
    default_auto_field = "django.db.models.BigAutoField"
