import os

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Crée le compte d'administration local de développement et affiche ses identifiants."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Réservé au développement (DEBUG=True).")
        username = os.environ.get("DEV_ADMIN_USER", "admin")
        password = os.environ.get("DEV_ADMIN_PASSWORD", "admin-renouveau")
        user_model = get_user_model()
        user = user_model.objects.filter(username=username).first()
        if user is None:
            user_model.objects.create_superuser(
                username, "admin@example.org", password, first_name="Admin", last_name="Local"
            )
        else:
            user.set_password(password)
            user.is_superuser = user.is_staff = user.is_active = True
            user.save()
        self.stdout.write(
            self.style.WARNING(
                f"Administration locale : /admin/  identifiant « {username} », "
                f"mot de passe « {password} » (développement uniquement)"
            )
        )
