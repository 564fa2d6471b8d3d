from django.db import models


class Vocabulary(models.Model):
    """The last vocabulary of « Vouliez-vous dire … ? » (search/vocabulary.py), built by a
    background task after each publication; searches read it and never build it themselves
    (except once on a site that has none yet). One row, replaced by each build."""

    built_at = models.DateTimeField("construit le", auto_now_add=True)
    words = models.JSONField("mots", default=dict)

    class Meta:
        verbose_name = "vocabulaire de la recherche"
        verbose_name_plural = "vocabulaires de la recherche"

    def __str__(self) -> str:
        return f"Vocabulaire du {self.built_at:%d/%m/%Y %H:%M} ({len(self.words)} mots)"
