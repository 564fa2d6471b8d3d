"""Demo content of the site itself, and the helpers every app's `demo.py` uses.

`manage.py load_demo_content` calls `load(home)` here, then the `demo.load(home)` of every
installed app that has one, in INSTALLED_APPS order. Each loader is idempotent: it creates what
is missing (found by slug or title) and never duplicates.
"""

import io
from typing import Any

from django.conf import settings
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Collection, Locale, Page, Site

from .models import HomePage, SiteImage, SiteSettings, StandardPage
from .site_url import site_address, sync_site_record

# Colours of the generated placeholder images (the demo has no real photos).
PALETTE = ["#23313f", "#a8361a", "#3d5a40", "#6b4e2e", "#2f4858", "#7a3b69"]


def demo_font(size: int, *, bold: bool = False) -> ImageFont.FreeTypeFont:
    """Source Sans Pro (the font-source-sans-pro package): Pillow's built-in font has no accented
    letters and draws « é » as a box."""
    import font_source_sans_pro as fonts

    name = "SourceSansProSemibold" if bold else "SourceSansPro"
    return ImageFont.truetype(fonts.font_files_ttf[name], size)


def placeholder_image(title: str, *, description: str, credit: str, tint: int = 0) -> SiteImage:
    """A generated 1200×800 PNG standing in for a real photo; found again by title."""
    existing = SiteImage.objects.filter(title=title).first()
    if existing:
        return existing
    canvas = PILImage.new("RGB", (1200, 800), PALETTE[tint % len(PALETTE)])
    draw = ImageDraw.Draw(canvas)
    for i in range(0, 1200, 60):  # brick-like rows, a nod to the cités' facades
        draw.line([(i, 0), (i + 400, 800)], fill="#ffffff22", width=2)
    draw.rectangle([(0, 620), (1200, 800)], fill="#00000088")
    draw.text((40, 650), title, fill="#ffffff", font=demo_font(44, bold=True))
    draw.text((40, 720), credit, fill="#f2b705", font=demo_font(28))
    buffer = io.BytesIO()
    canvas.save(buffer, format="PNG")
    slug = "".join(c if c.isalnum() else "-" for c in title.lower())[:60]
    image = SiteImage(title=title, description=description, credit=credit)
    image.file = ImageFile(buffer, name=f"demo-{slug}.png")
    image.save()
    return image


def child_page(parent: Page, page_class: type[Page], *, slug: str, **fields: Any) -> Page:
    """The child of `parent` with this slug, created and published when missing."""
    existing = parent.get_children().filter(slug=slug).first()
    if existing:
        return existing.specific
    page = page_class(slug=slug, **fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def ensure_home_page() -> HomePage:
    """Replace Wagtail's welcome page by our HomePage and point the default site at it."""
    home = HomePage.objects.first()
    # A flushed database (transactional tests) has lost the root page and locale that
    # Wagtail's migrations create: make them again.
    Locale.objects.get_or_create(
        language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
    )
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
    if Collection.get_first_root_node() is None:  # images and documents need it
        Collection.add_root(name="Root")
    if home is None:
        home = HomePage(
            title="Renouveau du Bassin Minier",
            slug="accueil",
            hero_title="S'engager ensemble pour rénover les cités minières",
            hero_text=(
                "<p>L'Engagement pour le Renouveau du Bassin Minier (2017-2027) réunit l'État, "
                "la Région, les Départements du Nord et du Pas-de-Calais et huit "
                "intercommunalités pour rénover environ 23 000 logements miniers avec les "
                "bailleurs Maisons &amp; Cités, SIA Habitat, Pas-de-Calais Habitat et "
                "Partenord.</p>"
            ),
            teaser_text="Le site du programme de rénovation des cités minières du Nord et du "
            "Pas-de-Calais.",
        )
        root.add_child(instance=home)
        home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        hostname, port = site_address()
        Site.objects.create(
            hostname=hostname,
            port=port,
            root_page=home,
            is_default_site=True,
            site_name="Renouveau du Bassin Minier",
        )
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.site_name = "Renouveau du Bassin Minier"
        site.save()
    sync_site_record()
    # Wagtail's default "Welcome" page is of no use once the home page exists.
    for page in root.get_children().exclude(pk=home.pk).filter(depth=2, slug="home"):
        if page.specific_class is Page:
            page.delete()
    return home


PROGRAMME_BODY = [
    (
        "paragraph",
        "<p>Signé en 2017 pour dix ans, l'<b>Engagement pour le Renouveau du Bassin Minier</b> "
        "(ERBM) accompagne la rénovation des cités minières du Nord et du Pas-de-Calais : des "
        "logements mieux isolés (étiquette énergétique C ou BBC rénovation), des espaces publics "
        "repensés et des habitants associés à chaque étape.</p>",
    ),
    (
        "key_figures",
        {
            "title": "Le programme en bref",
            "figures": [
                {"value": "23 000", "label": "logements miniers à rénover"},
                {"value": "2017-2027", "label": "dix ans d'engagement"},
                {"value": "8", "label": "intercommunalités signataires"},
                {"value": "4", "label": "bailleurs sociaux"},
            ],
        },
    ),
    ("heading", {"text": "Les signataires", "level": "h2"}),
    (
        "paragraph",
        "<p>L'État, la Région Hauts-de-France, les Départements du Nord et du Pas-de-Calais et "
        "huit intercommunalités, avec les bailleurs sociaux Maisons &amp; Cités, SIA Habitat, "
        "Pas-de-Calais Habitat et Partenord, et des partenaires comme la Mission Bassin Minier, "
        "l'AULA, le CD2E et l'IREV.</p>",
    ),
    ("heading", {"text": "Une rénovation intégrée", "level": "h2"}),
    (
        "paragraph",
        "<p>Les rénovations des « cités ERBM » ne sont pas seulement des réhabilitations de "
        "logements : elles s'inscrivent dans un projet de quartier, de ville, d'avenir pour les "
        "habitants de la cité d'aujourd'hui et ceux de demain. Le <i>Référentiel d'ambitions "
        "partagées</i> traduit techniquement ces ambitions politiques.</p>",
    ),
]


def load(home: HomePage) -> None:
    child_page(
        home,
        StandardPage,
        slug="le-programme",
        title="Le programme",
        show_in_menus=True,
        intro="Dix ans pour rénover les cités minières et améliorer la vie de leurs habitants.",
        teaser_text="L'Engagement pour le Renouveau du Bassin Minier en quelques mots.",
        body=PROGRAMME_BODY,
    )
    from . import demo_legal

    legal_pages = demo_legal.load(home)
    site_settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    if not site_settings.social_links:
        site_settings.social_links = [
            ("link", {"network": "linkedin", "url": "https://www.linkedin.com/"}),
        ]
        site_settings.save()
    demo_legal.set_legal_links(legal_pages)
