"""Sending faults (issue 25): a campaign paused because SES refuses the whole account is tried
again after a while (`paused_at`); the campaign page records faults, cancellations and
re-queued temporary failures."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("mailing", "0010_fill_campaign_counters")]

    operations = [
        migrations.AddField(
            model_name="campaign",
            name="paused_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="en pause depuis"),
        ),
        migrations.AlterField(
            model_name="campaign",
            name="pause_cause",
            field=models.CharField(
                blank=True,
                choices=[
                    ("", "—"),
                    ("staff", "Par l'équipe"),
                    ("health", "Taux de rebonds ou de plaintes"),
                    ("errors", "Erreurs d'envoi"),
                    ("account", "Envois suspendus par Amazon SES"),
                ],
                max_length=20,
                verbose_name="cause de la pause",
            ),
        ),
        migrations.AlterField(
            model_name="campaignevent",
            name="kind",
            field=models.CharField(
                choices=[
                    ("recovery", "Reprise automatique"),
                    ("pause", "Pause"),
                    ("resume", "Reprise"),
                    ("override", "Reprise malgré les rebonds"),
                    ("skip", "Destinataires écartés"),
                    ("schedule", "Programmation"),
                    ("warnings", "Avertissements acceptés"),
                    ("fault", "Incident d'envoi"),
                    ("cancel", "Annulation"),
                    ("requeue", "Remise en file"),
                ],
                max_length=20,
                verbose_name="type",
            ),
        ),
    ]
