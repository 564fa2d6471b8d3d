"""Demo content of the site itself, and the helpers every app's `demo.py` uses.

`manage.py load_demo_content` calls `load(home)` here, then the `demo.load(home)` of every
installed app that has one, in INSTALLED_APPS order. Each loader is idempotent: it creates what
is missing (found by slug or title) and never duplicates.
"""

import io
import random
from typing import Any

import font_source_sans_pro as fonts
from django.conf import settings
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Collection, Locale, Page, Site

from . import demo_legal
from .models import HomePage, SiteImage, SiteSettings, StandardPage
from .site_url import site_address, sync_site_record

# Generated illustrations (the demo has no real photos): a street of a mining cité — rows of
# brick terraced houses (« corons »), a slag heap or a pit headframe on the horizon, the sky of
# the day. Drawn with Pillow from the title, so each image differs and nothing is downloaded.
SKIES = [  # (top, horizon)
    ((86, 140, 196), (196, 220, 236)),
    ((120, 138, 158), (214, 218, 222)),
    ((64, 112, 176), (232, 204, 170)),
    ((96, 150, 204), (226, 236, 242)),
]
BRICKS = [(150, 62, 40), (168, 84, 52), (128, 56, 42), (176, 98, 66), (140, 74, 50)]
DOORS = [(31, 84, 64), (34, 62, 110), (128, 30, 36), (196, 150, 40), (70, 70, 76)]
ROOFS = [(62, 64, 72), (120, 52, 40), (84, 78, 76)]


def _shade(colour: tuple[int, int, int], factor: float) -> tuple[int, int, int]:
    return tuple(max(0, min(255, round(c * factor))) for c in colour)  # type: ignore[return-value]


def _houses(
    draw: ImageDraw.ImageDraw, rng: Any, *, base: int, height: int, scale: float, haze: float
) -> None:
    """One row of terraced houses standing on `base`, `scale` 1 for the front row."""

    def tint(colour: tuple[int, int, int]) -> tuple[int, int, int]:
        # Distance fades colours towards the sky's haze.
        return tuple(round(c + (214 - c) * haze) for c in colour)  # type: ignore[return-value]

    x = -rng.randint(0, 60)
    roof = ROOFS[rng.randrange(len(ROOFS))]
    while x < 1200:
        width = round(rng.randint(150, 190) * scale)
        brick = BRICKS[rng.randrange(len(BRICKS))]
        top = base - height
        draw.rectangle([(x, top), (x + width, base)], fill=tint(brick))
        if scale > 0.8:  # mortar joints, staggered, on the front row only
            for row, y in enumerate(range(top + 6, base, 9)):
                draw.line([(x, y), (x + width, y)], fill=tint(_shade(brick, 0.8)), width=1)
                for jx in range(x + (row % 2) * 12, x + width, 24):
                    draw.line([(jx, y), (jx, y + 9)], fill=tint(_shade(brick, 0.85)), width=1)
        # Pitched roof seen from the street, a chimney on the party wall.
        ridge = top - round(46 * scale)
        draw.polygon(
            [
                (x - 2, top),
                (x + round(18 * scale), ridge),
                (x + width - round(18 * scale), ridge),
                (x + width + 2, top),
            ],
            fill=tint(roof),
        )
        chimney = x + width - round(30 * scale)
        draw.rectangle(
            [(chimney, ridge - round(26 * scale)), (chimney + round(16 * scale), ridge)],
            fill=tint(_shade(brick, 0.75)),
        )
        # Two windows upstairs, a window and a door downstairs; white frames.
        window_w, window_h = round(34 * scale), round(44 * scale)
        frame = tint((236, 232, 222))
        glass = tint((150, 176, 196))
        for wx, wy in (
            (x + round(28 * scale), top + round(24 * scale)),
            (x + width - round(62 * scale), top + round(24 * scale)),
            (x + round(28 * scale), base - round(70 * scale)),
        ):
            draw.rectangle([(wx - 3, wy - 3), (wx + window_w + 3, wy + window_h + 3)], fill=frame)
            draw.rectangle([(wx, wy), (wx + window_w, wy + window_h)], fill=glass)
            draw.line(
                [(wx + window_w // 2, wy), (wx + window_w // 2, wy + window_h)], fill=frame, width=2
            )
        door_x = x + width - round(56 * scale)
        draw.rectangle(
            [(door_x - 3, base - round(78 * scale) - 3), (door_x + round(30 * scale) + 3, base)],
            fill=frame,
        )
        draw.rectangle(
            [(door_x, base - round(78 * scale)), (door_x + round(30 * scale), base)],
            fill=tint(DOORS[rng.randrange(len(DOORS))]),
        )
        draw.line([(x, top), (x, base)], fill=tint(_shade(brick, 0.6)), width=2)
        x += width


def scene_image_bytes(title: str, tint: int = 0) -> bytes:
    """A 1200×800 JPEG of a cité street, different for each title."""
    rng = random.Random(f"{title}-{tint}")  # noqa: S311 (a drawing, not a secret)
    canvas = PILImage.new("RGB", (1200, 800))
    draw = ImageDraw.Draw(canvas)
    top, horizon = SKIES[tint % len(SKIES)]
    for y in range(0, 480):  # the sky, lighter towards the horizon
        t = y / 480
        draw.line(
            [(0, y), (1200, y)],
            fill=tuple(round(a + (b - a) * t) for a, b in zip(top, horizon, strict=True)),
        )
    for _ in range(rng.randint(2, 5)):  # a few clouds
        cx, cy = rng.randint(0, 1200), rng.randint(40, 260)
        for dx in range(0, rng.randint(120, 260), 40):
            draw.ellipse([(cx + dx - 60, cy - 28), (cx + dx + 60, cy + 28)], fill=(240, 242, 244))
    # On the horizon: a slag heap (« terril »), or a pit headframe (« chevalement »).
    if rng.random() < 0.6:
        foot = rng.randint(150, 900)
        draw.polygon(
            [
                (foot, 470),
                (foot + 230, 300 + rng.randint(0, 60)),
                (foot + 300, 310 + rng.randint(0, 40)),
                (foot + 560, 470),
            ],
            fill=(92, 104, 96),
        )
    else:
        hx = rng.randint(200, 1000)
        frame = (84, 92, 102)
        draw.line([(hx, 470), (hx + 30, 300)], fill=frame, width=8)
        draw.line([(hx + 90, 470), (hx + 60, 300)], fill=frame, width=8)
        draw.line([(hx + 30, 300), (hx + 130, 470)], fill=frame, width=6)
        for y in range(330, 470, 35):
            draw.line([(hx + 5, y), (hx + 85, y)], fill=frame, width=4)
        draw.ellipse([(hx + 15, 270), (hx + 75, 330)], outline=frame, width=7)
    _houses(draw, rng, base=500, height=110, scale=0.6, haze=0.45)  # the street behind
    draw.rectangle([(0, 500), (1200, 800)], fill=(122, 132, 116))
    _houses(draw, rng, base=650, height=200, scale=1.0, haze=0.0)
    # Front gardens and hedges, the pavement, the street.
    draw.rectangle([(0, 650), (1200, 690)], fill=(88, 128, 70))
    for hx in range(-20, 1200, 38):
        draw.ellipse([(hx, 636), (hx + 52, 676)], fill=(70, 112, 58))
    draw.rectangle([(0, 690), (1200, 716)], fill=(176, 172, 164))
    draw.rectangle([(0, 716), (1200, 800)], fill=(84, 86, 90))
    for lx in range(20, 1200, 140):
        draw.rectangle([(lx, 756), (lx + 70, 762)], fill=(226, 226, 220))
    for _ in range(rng.randint(1, 3)):  # trees of the street
        tx = rng.randint(40, 1160)
        draw.rectangle([(tx - 6, 560), (tx + 6, 700)], fill=(86, 64, 48))
        for dx, dy, r in ((0, 520, 60), (-40, 560, 44), (40, 556, 46)):
            draw.ellipse([(tx + dx - r, dy - r), (tx + dx + r, dy + r)], fill=(58, 104, 56))
    buffer = io.BytesIO()
    canvas.save(buffer, format="JPEG", quality=82, optimize=True)
    return buffer.getvalue()


def demo_font(size: int, *, bold: bool = False) -> ImageFont.FreeTypeFont:
    """Source Sans Pro (the font-source-sans-pro package): Pillow's built-in font has no accented
    letters and draws « é » as a box."""
    name = "SourceSansProSemibold" if bold else "SourceSansPro"
    return ImageFont.truetype(fonts.font_files_ttf[name], size)


def placeholder_image(title: str, *, description: str, credit: str, tint: int = 0) -> SiteImage:
    """A generated 1200×800 illustration standing in for a real photo; found again by title."""
    existing = SiteImage.objects.filter(title=title).first()
    if existing:
        return existing
    slug = "".join(c if c.isalnum() else "-" for c in title.lower())[:60]
    image = SiteImage(title=title, description=description, credit=credit)
    image.file = ImageFile(io.BytesIO(scene_image_bytes(title, tint)), name=f"demo-{slug}.jpg")
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
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Racine", slug="root"))
    if Collection.get_first_root_node() is None:  # images and documents need it
        Collection.add_root(name="Racine")
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

    legal_pages = demo_legal.load(home)
    site_settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    if not site_settings.social_links:
        site_settings.social_links = [
            ("link", {"network": "linkedin", "url": "https://www.linkedin.com/"}),
        ]
        site_settings.save()
    demo_legal.set_legal_links(legal_pages)
