"""Small page trees that several test modules build (one place, not one copy per module)."""

import datetime

from django.utils import timezone
from wagtail.models import Page

from newsletter.models import NewsletterIssuePage

# The home page and default site as the site itself bootstraps them (root page, locale, root
# collection, site record): the root every tree of the tests grows from, not demo content.
from renouveau.demo import ensure_home_page as site_home_page
from tests.factories import (
    CaseStudyIndexPageFactory,
    CaseStudyPageFactory,
    CitiesIndexPageFactory,
    CityPageFactory,
    CommuneFactory,
    NewsIndexPageFactory,
    NewsletterIndexPageFactory,
    NewsletterIssuePageFactory,
    NewsPageFactory,
    ProgrammeFiguresPageFactory,
    SiteImageFactory,
    StandardPageFactory,
    WebinarIndexPageFactory,
    WebinarPageFactory,
)

__all__ = [
    "accessibility_statement",
    "add_blocks",
    "block_mark",
    "city_without_dwellings_count",
    "contact_form",
    "issue_with_every_block",
    "legal_notice",
    "one_page_of_each_type",
    "privacy_page",
    "site_home_page",
    "sitemap_page",
]


def city_without_dwellings_count(parent: Page):
    """A published cité, on the map (coordinates, one commune), whose dwellings are unknown."""
    from cites_pages.models import CityPage

    city = CityPageFactory(
        parent=CitiesIndexPageFactory(parent=parent),
        slug="cite-inconnue",
        title="Cité Inconnue",
        dwellings=None,
        intro="",
        communes=[CommuneFactory(name="Vicq", slug="vicq", insee_code="59616")],
    )
    return CityPage.objects.get(pk=city.pk)


def block_mark(name: str) -> str:
    """A word found only where the block `name` put it."""
    return "Repere" + name.replace("_", "").capitalize()


def one_value_of_each_block(home_page: Page) -> dict[str, object]:
    image = SiteImageFactory(description=block_mark("image"), credit="Credit" + block_mark("image"))
    page = StandardPageFactory(parent=home_page, title="Page mise en avant")
    return {
        "masthead": {"tagline": block_mark("masthead")},
        "lead_story": {"kicker": "", "title": block_mark("lead_story"), "text": "<p>Texte.</p>"},
        "section_heading": {"text": block_mark("section_heading")},
        "article": {"title": block_mark("article"), "text": "<p>Texte.</p>"},
        "image": {"image": image, "alt_text": "", "caption": "", "credit": ""},
        "quote": {"text": block_mark("quote"), "author": "Jeanne", "role": ""},
        "questions": {
            "title": "",
            "items": [{"question": block_mark("questions"), "answer": "<p>Oui.</p>"}],
        },
        "key_figures": {
            "title": "",
            "figures": [{"value": "765", "label": block_mark("key_figures")}],
        },
        "call_to_action": {
            "title": block_mark("call_to_action"),
            "text": "",
            "button_label": "Lire",
            "page": page,
            "url": "",
        },
        "page_teaser": {"page": page, "title": block_mark("page_teaser"), "show_image": False},
        "webinar": {
            "title": block_mark("webinar"),
            "date": timezone.now() + datetime.timedelta(days=7),
            "registration_label": "S'inscrire",
            "registration_url": "https://example.org/inscription",
        },
    }


def issue_with_every_block(home_page: Page, **fields):
    """A published issue of the letter (N°2 of July 2019 unless told) holding one block of
    each kind, each showing its `block_mark`."""
    values = one_value_of_each_block(home_page)
    fields = {
        "number": 2,
        "title": "Renouveau du Bassin Minier N°2 — Juillet 2019",
        "issue_date": datetime.date(2019, 7, 1),
        **fields,
    }
    issue = NewsletterIssuePageFactory(
        parent=NewsletterIndexPageFactory(parent=home_page), body=list(values.items()), **fields
    )
    return NewsletterIssuePage.objects.get(pk=issue.pk)  # as a view loads it (its tree path)


def one_page_of_each_type(home: Page) -> list[Page]:
    """Every index of the programme (in the menu, as editors leave them) with one page each,
    and the figures page."""
    pages = []
    for index_factory, page_factory in [
        (CitiesIndexPageFactory, CityPageFactory),
        (NewsIndexPageFactory, NewsPageFactory),
        (WebinarIndexPageFactory, WebinarPageFactory),
        (CaseStudyIndexPageFactory, CaseStudyPageFactory),
    ]:
        index = index_factory(parent=home, show_in_menus=True)
        pages += [index, page_factory(parent=index)]
    return [*pages, ProgrammeFiguresPageFactory(parent=home)]


def legal_notice(home: Page):
    """The site's legal notice (« Mentions légales »): the publisher the letter's footer names."""
    from renouveau.legal import LegalNoticePage

    notice = LegalNoticePage(
        title="Mentions légales",
        slug="mentions-legales",
        publisher_name="Préfecture de la région Hauts-de-France",
        publisher_address="2 rue Jacquemars Giélée\n59000 Lille",
        director_name="Le préfet de région",
        host_name="Hébergeur",
        host_address="1 rue de l'Hébergeur, Paris",
    )
    home.add_child(instance=notice)
    notice.save_revision().publish()
    return notice


def _published(parent: Page, page: Page, children: dict[str, list] | None = None) -> Page:
    for relation, items in (children or {}).items():
        setattr(page, relation, items)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return type(page).objects.get(pk=page.pk)


def contact_form(home: Page, **fields):
    """A published form page « Nous contacter » at /contact/: name, address, organisation
    (optional), a subject to choose and a message."""
    from renouveau.form_pages import FormField, FormPage

    page = FormPage(
        slug="contact",
        title="Nous contacter",
        thank_you_text="<p>Merci, votre message a bien été envoyé.</p>",
        subject="Nouveau message",
        **fields,
    )
    form_fields = [
        FormField(label="Nom", field_type="singleline", required=True),
        FormField(label="Adresse électronique", field_type="email", required=True),
        FormField(label="Organisme", field_type="singleline", required=False),
        FormField(
            label="Objet",
            field_type="dropdown",
            required=True,
            choices="Question sur le programme\nQuestion sur une cité\nAutre",
        ),
        FormField(label="Message", field_type="multiline", required=True),
    ]
    return _published(home, page, {"form_fields": form_fields})


def privacy_page(home: Page, processings: list[dict]):
    """The « Données personnelles » page listing `processings` (DataProcessing fields; a
    neutral purpose, basis and data unless given)."""
    from renouveau.legal import DataProcessing, PersonalDataPage

    page = PersonalDataPage(
        slug="donnees-personnelles",
        title="Données personnelles",
        controller_name="Responsable de traitement",
        controller_address="1 rue du Responsable\n59000 Lille",
        dpo_contact="dpd@example.org",
        rights_contact="droits@example.org",
    )
    rows = [
        DataProcessing(
            **{
                "purpose": "Finalité.",
                "legal_basis": DataProcessing.LegalBasis.CONSENT,
                "data": "Adresse électronique.",
                "retention": "Durée à préciser.",
                **item,
            }
        )
        for item in processings
    ]
    return _published(home, page, {"processings": rows})


def accessibility_statement(home: Page, criteria: list[tuple[str, str]], **fields):
    """The published accessibility statement at /accessibilite/ whose audit grid gives
    `criteria` ((number, result) pairs) their results; the referential's other criteria are
    « non audité » (the page completes its grid)."""
    from renouveau.accessibility import AccessibilityCriterion, AccessibilityStatementPage

    page = AccessibilityStatementPage(
        slug="accessibilite",
        title="Déclaration d'accessibilité",
        entity="Entité responsable",
        statement_date=datetime.date(2026, 1, 15),
        **fields,
    )
    grid = [AccessibilityCriterion(number=n, result=r) for n, r in criteria]
    return _published(home, page, {"criteria": grid})


def sitemap_page(home: Page):
    """The « Plan du site » page at /plan-du-site/."""
    from renouveau.legal import SitemapPage

    return _published(home, SitemapPage(slug="plan-du-site", title="Plan du site"))


def add_blocks(issue, *blocks: tuple[str, object]):
    """The issue with `blocks` ((name, value) pairs) added after its own, published again and
    loaded afresh."""
    issue.body = [*((b.block_type, b.value) for b in issue.body), *blocks]
    issue.save_revision().publish()
    issue.refresh_from_db()
    return issue
