"""Reference data of the programme, editable in the admin as snippets: communes,
intercommunalities (EPCI), social landlords, partner organisations, themes and news categories.

Every snippet has a `slug`, filled from its name when left empty: public filters and open-data
exports use slugs, so URLs stay readable (`/cites/?epci=valenciennes-metropole`)."""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.text import slugify
from wagtail.admin.panels import FieldPanel
from wagtail.search import index


class SlugNamedModel(index.Indexed, models.Model):
    name = models.CharField("nom", max_length=150, unique=True)
    slug = models.SlugField(
        "identifiant d'adresse",
        max_length=150,
        unique=True,
        blank=True,
        help_text="Utilisé dans les adresses des filtres. Vide : calculé à partir du nom.",
    )

    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)[:150]
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        # A blank slug is computed at save time; check its uniqueness here so the editor gets
        # a form error rather than a database error.
        slug = self.slug or slugify(self.name)
        if slug and type(self).objects.filter(slug=slug).exclude(pk=self.pk).exists():
            raise ValidationError({"slug": "Cet identifiant d'adresse est déjà utilisé."})


class EPCI(SlugNamedModel):
    """An intercommunality (établissement public de coopération intercommunale)."""

    short_name = models.CharField(
        "nom court",
        max_length=60,
        blank=True,
        help_text="Par exemple : « CALL » pour la Communauté d'agglomération de Lens-Liévin.",
    )
    website = models.URLField("site web", blank=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("short_name"),
        FieldPanel("slug"),
        FieldPanel("website"),
    ]

    class Meta(SlugNamedModel.Meta):
        verbose_name = "intercommunalité (EPCI)"
        verbose_name_plural = "intercommunalités (EPCI)"

    @property
    def display_name(self) -> str:
        return self.short_name or self.name


class Commune(SlugNamedModel):
    class Department(models.TextChoices):
        NORD = "59", "Nord (59)"
        PAS_DE_CALAIS = "62", "Pas-de-Calais (62)"

    name = models.CharField("nom", max_length=150)  # homonyms exist: unique by INSEE code
    insee_code = models.CharField(
        "code INSEE",
        max_length=5,
        unique=True,
        validators=[
            RegexValidator(
                r"^(59|62)\d{3}$", "Le code INSEE compte 5 chiffres et commence par 59 ou 62."
            )
        ],
        help_text="Code officiel géographique, par exemple 59153 pour Condé-sur-l'Escaut.",
    )
    department = models.CharField("département", max_length=2, choices=Department.choices)
    epci = models.ForeignKey(
        EPCI,
        verbose_name="intercommunalité",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="communes",
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("insee_code"),
        FieldPanel("department"),
        FieldPanel("epci"),
        FieldPanel("slug"),
    ]

    class Meta(SlugNamedModel.Meta):
        verbose_name = "commune"
        verbose_name_plural = "communes"

    def clean(self):
        if self.insee_code and self.department and not self.insee_code.startswith(self.department):
            raise ValidationError(
                {"insee_code": "Le code INSEE ne correspond pas au département choisi."}
            )
        super().clean()


class Landlord(SlugNamedModel):
    """A social landlord (bailleur social) owning cités."""

    website = models.URLField("site web", blank=True)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("website")]

    class Meta(SlugNamedModel.Meta):
        verbose_name = "bailleur social"
        verbose_name_plural = "bailleurs sociaux"


class Organisation(SlugNamedModel):
    """A partner: public body, association, design office, school, company…"""

    class Kind(models.TextChoices):
        PUBLIC = "public", "Acteur public"
        ASSOCIATION = "association", "Association"
        AGENCY = "agence", "Agence, mission ou centre de ressources"
        SCHOOL = "ecole", "École ou université"
        COMPANY = "entreprise", "Entreprise ou bureau d'études"

    short_name = models.CharField("sigle", max_length=60, blank=True)
    kind = models.CharField("type", max_length=20, choices=Kind.choices, default=Kind.AGENCY)
    description = models.TextField("présentation", blank=True, max_length=600)
    website = models.URLField("site web", blank=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("short_name"),
        FieldPanel("kind"),
        FieldPanel("description"),
        FieldPanel("website"),
        FieldPanel("slug"),
    ]

    class Meta(SlugNamedModel.Meta):
        verbose_name = "organisation partenaire"
        verbose_name_plural = "organisations partenaires"


class Theme(SlugNamedModel):
    """One of the themes of the cahier technique (e.g. « Accompagner le changement individuel »)."""

    sort_order = models.PositiveSmallIntegerField("ordre", default=0)
    description = models.TextField("présentation", blank=True, max_length=600)

    panels = [
        FieldPanel("name"),
        FieldPanel("sort_order"),
        FieldPanel("description"),
        FieldPanel("slug"),
    ]

    class Meta(SlugNamedModel.Meta):
        verbose_name = "thème"
        verbose_name_plural = "thèmes"
        ordering = ["sort_order", "name"]


class NewsCategory(SlugNamedModel):
    panels = [FieldPanel("name"), FieldPanel("slug")]

    class Meta(SlugNamedModel.Meta):
        verbose_name = "catégorie d'actualité"
        verbose_name_plural = "catégories d'actualité"
