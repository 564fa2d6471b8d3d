"""Who the visitor is, asked by every public form that records a person (newsletter sign-up,
document request): one list, so that a profile given on one form is kept by the other (a
document request can subscribe its author to the newsletter)."""

from __future__ import annotations

from django.db import models


class VisitorProfile(models.TextChoices):
    HABITANT = "habitant", "Habitant ou habitante"
    ELU = "elu", "Élu ou élue, collectivité"
    BAILLEUR = "bailleur", "Bailleur social"
    PROFESSIONNEL = (
        "professionnel",
        "Professionnel ou professionnelle (architecte, bureau d'études…)",
    )
    ASSOCIATION = "association", "Association"
    ETUDIANT = "etudiant", "Étudiant, étudiante, chercheur ou chercheuse"
    AUTRE = "autre", "Autre"
