"""Demo content: the letter's archive and issue N°2 (July 2019), recreated from the seed.

Pages of other apps (cités, news, the document library) are looked up generically, by slug or
content type, never imported: the issue links to them when they exist.
"""

from __future__ import annotations

from datetime import date

from django.utils.html import escape
from wagtail.documents import get_document_model
from wagtail.models import Page

from renouveau.demo import child_page, placeholder_image
from renouveau.models import HomePage, SiteImage

from .models import NewsletterIndexPage, NewsletterIssuePage

ISSUE_2_TITLE = "Renouveau du Bassin Minier N°2 — Juillet 2019"
NO_IMAGE = {"image": None, "alt_text": "", "caption": "", "credit": ""}


def find_page(slug: str) -> Page | None:
    return Page.objects.live().filter(slug=slug).first()


def page_link(slug: str, label: str, *, bold: bool = True) -> str:
    """A rich-text link to the page with this slug when it exists, else the label alone."""
    page = find_page(slug)
    text = f"<b>{escape(label)}</b>" if bold else escape(label)
    if page is None:
        return text
    return f'<a linktype="page" id="{page.pk}">{text}</a>'


def steering_committee_news() -> Page | None:
    """The news page of the 4th steering committee (20 June 2019), if the news app made it."""
    news = Page.objects.live().filter(url_path__contains="/actualites/")
    return (
        news.filter(title__icontains="comité de pilotage").exclude(slug="actualites").first()
        or news.filter(slug__icontains="comite-de-pilotage").first()
    )


def referentiel_request_url() -> str:
    """The request form of the « Référentiel d'ambitions partagées » in the document library."""
    document = get_document_model().objects.filter(title__icontains="référentiel").first()
    # The document library (an app above this one) publishes the address of its form.
    request_url = getattr(document, "request_url", None)
    return request_url() if callable(request_url) else ""


def conde_image() -> SiteImage:
    return placeholder_image(
        "Diagnostic partagé, cité Saint-Pierre",
        description="Des habitants de la cité Saint-Pierre, sous la pluie, lors du diagnostic "
        "partagé de leur quartier à Condé-sur-Escaut.",
        credit="Crédit ville Condé sur Escaut",
        tint=1,
    )


def issue_2_body() -> list[tuple[str, dict]]:
    conde = conde_image()
    vicq = placeholder_image(
        "Visite de cités minières par les habitants de Cuvinot",
        description="Les habitants du quartier Cuvinot en visite dans une autre cité minière "
        "du territoire, accueillis par des élus.",
        credit="Crédit ville de Vicq",
        tint=2,
    )
    drocourt_1 = placeholder_image(
        "Atelier dans la cité de la Parisienne",
        description="Un atelier avec les habitants de la cité de la Parisienne à Drocourt sur "
        "l'avenir de la Place des Mines.",
        credit="Crédit ville Drocourt",
        tint=3,
    )
    drocourt_2 = placeholder_image(
        "Jardins et voyettes de la Parisienne",
        description="Des habitants de Drocourt échangent autour d'un plan de la cité de la "
        "Parisienne, ses jardins et ses voyettes.",
        credit="Crédit ville Drocourt",
        tint=4,
    )
    committee = steering_committee_news()
    request_url = referentiel_request_url()
    programme = find_page("le-programme")
    cta: dict = {
        "title": "Recevoir le Référentiel d'ambitions partagées",
        "text": "Le référentiel est disponible sur simple demande : vous le recevrez par e-mail.",
        "button_label": "Demander le référentiel",
        "page": None if request_url else programme,
        "url": request_url,
    }
    body = [
        ("masthead", {"tagline": "S'engager ensemble"}),
        (
            "lead_story",
            {
                "kicker": "20 juin 2019, 4e comité de pilotage",
                "title": "À l'ordre du jour : la rénovation des cités minières, mais pas que",
                "text": (
                    "<p>La programmation de la rénovation des 35 premières cités minières ERBM se "
                    "précise. Les calendriers des travaux de réhabilitation des logements miniers "
                    "ont été accélérés sur 8 d'entre elles grâce aux efforts conjugués des "
                    "bailleurs et des collectivités.</p>"
                    "<p>Concrètement, les premiers déménagements ont commencé en juin et le "
                    "travail va se poursuivre à l'échelle des intercommunalités et des communes en "
                    "s'appuyant sur un mode d'emploi collectivement construit et partagé (cf. "
                    "ci-dessous Référentiel d'ambitions partagées de rénovation des cités "
                    "minières ERBM) en impliquant de plus en plus d'habitants. Maintenant, la "
                    "priorité pour "
                    "les signataires (État, Région, Départements, EPCI) est <b>d'obtenir de "
                    "réelles baisses de charges pour les habitants et des embauches dans les "
                    "entreprises "
                    "titulaires</b> (nouveaux emplois et emplois en insertion).</p>"
                    "<p>Ce comité a également permis de mettre en avant l'engagement des "
                    "partenaires pour la réussite des jeunes du Bassin Minier avec le Micro-lycée "
                    "qui ouvre à Liévin ou encore des projets d'internats pour les jeunes les "
                    "moins favorisés sur lesquels se concertent l'Éducation Nationale, la "
                    "Région, et les "
                    "deux Départements.</p>"
                    "<p>Enfin, les partenaires publics ont donné leur accord pour travailler "
                    "ensemble autour de l'accès à l'éco-mobilité et de la valorisation des "
                    "potentiels du Bassin Minier en matière de production d'énergies vertes.</p>"
                ),
                "image": NO_IMAGE,
                "page": committee,
            },
        ),
        (
            "key_figures",
            {
                "title": "Le comité en chiffres",
                "figures": [
                    {"value": "35", "label": "premières cités ERBM programmées"},
                    {"value": "8", "label": "cités aux travaux accélérés"},
                    {"value": "90", "label": "contributeurs au référentiel le 17 mai"},
                ],
            },
        ),
        ("section_heading", {"text": "Mode d'emploi de la rénovation intégrée"}),
        (
            "questions",
            {
                "title": "Le Référentiel d'ambitions partagées",
                "items": [
                    {
                        "question": "À quoi sert un référentiel d'ambitions partagées ?",
                        "answer": (
                            "<p>L'État et les élus ont défini une ambition forte pour que les "
                            "rénovations des « cités ERBM » ne soient pas seulement des "
                            "réhabilitations de logements. Elles doivent s'inscrire dans un projet "
                            "de quartier, de ville, d'avenir pour les habitants de la cité "
                            "d'aujourd'hui et ceux de demain.</p>"
                            "<p>Pour que ça marche, il faut « traduire » techniquement ces "
                            "ambitions politiques.</p>"
                            "<p>Dans certains cas en préconisations (dire clairement que "
                            "l'étiquette énergétique attendue est du C ou BBC rénovation et "
                            "comment le vérifier) ou en conseils (comment suivre l'évolution des "
                            "loyers ? Comment communiquer et faire participer les habitants ? "
                            "Comment créer des opportunités d'insertion ? Comment mettre en valeur "
                            "la richesse patrimoniale des cités…).</p>"
                        ),
                    },
                    {
                        "question": "Qui a écrit ce référentiel ?",
                        "answer": (
                            "<p>C'est une co-écriture avec les signataires de l'Engagement et des "
                            "partenaires (bailleurs, AULA, Mission Bassin Minier, CD2E, IREV…). "
                            "90 personnes ont pu participer le 17 mai à un travail collectif de "
                            "finalisation d'une 1re version enrichie par les bonnes pratiques des "
                            "uns et des autres.</p>"
                        ),
                    },
                    {
                        "question": "Où trouver ce référentiel ?",
                        "answer": (
                            "<p>Disponible sur simple demande à "
                            '<a href="mailto:contact@renouveaubassinminier.fr">'
                            "contact@renouveaubassinminier.fr</a>, il sera mis en ligne à la "
                            "rentrée.</p>"
                        ),
                    },
                ],
            },
        ),
        ("call_to_action", cta) if (cta["page"] or cta["url"]) else None,
        ("section_heading", {"text": "Des habitants mobilisés !"}),
        (
            "article",
            {
                "title": "Diagnostic partagé à Condé-sur-Escaut : même sous la pluie, on avance !",
                "text": (
                    "<p>Des difficultés de stationnement dans une rue trop étroite pour permettre "
                    "le ramassage des ordures ménagères, la présence de voitures ventouses, des "
                    "clôtures ou des extensions hétéroclites : le 12 juin dernier, les habitants "
                    f"de la {page_link('cite-saint-pierre', 'Cité Saint-Pierre')} ont à la fois "
                    "identifié les problèmes actuels du quartier mais aussi ses nombreux atouts "
                    "(city stade, espaces verts, proximité directe de la médiathèque et d'une "
                    "future école…).</p>"
                ),
                "image": {"image": conde, "alt_text": "", "caption": "", "credit": ""},
                "page": find_page("cite-saint-pierre"),
                "link_label": "Découvrir la cité Saint-Pierre",
            },
        ),
        (
            "quote",
            {
                "text": "Malgré des remontées régulières, on ne voit pas tout. On a besoin du "
                "ressenti et du vécu des habitants. Comprendre la vie du quartier est essentiel "
                "pour faire ensemble un beau projet de rénovation globale de la cité.",
                "author": "Grégory Lelong",
                "role": "Maire de Condé-sur-Escaut",
            },
        ),
        (
            "article",
            {
                "title": "Échanges d'expériences : allons voir ailleurs…",
                "text": (
                    "<p>Les villes d'Onnaing et Vicq, avec l'appui de Valenciennes Métropole, ont "
                    "proposé au conseil citoyen et plus largement aux habitants du quartier "
                    f"{page_link('cite-cuvinot', 'Cuvinot', bold=False)}, d'aller à la rencontre "
                    "d'autres cités minières du territoire. Deux cités ont été visitées le 17 mai "
                    f"2019 : la {page_link('cite-du-mont-de-la-veine', 'cité du Mont de la Veine')}"
                    ", à Anzin (en cours de travaux) et la "
                    f"{page_link('cite-taffin', 'cité Taffin')} de Vieux-Condé (travaux "
                    "terminés). Les habitants ont été systématiquement reçus par des élus et des "
                    "habitants investis dans la vie de quartier.</p>"
                ),
                "image": {"image": vicq, "alt_text": "", "caption": "", "credit": ""},
                "page": find_page("cite-cuvinot"),
                "link_label": "Découvrir la cité Cuvinot",
            },
        ),
        (
            "article",
            {
                "title": "Balades urbaines à Oignies et Noyelles",
                "text": (
                    "<p>Les 3 et 4 juillet : partage d'idées « in situ » avec les habitants de "
                    f"{page_link('cite-declercq', 'la cité Declercq')} de Oignies et de "
                    f"{page_link('cite-crombez', 'la cité Crombez')} à Noyelles-Godault, suite aux "
                    "entretiens individuels menés par le bureau d'études accompagnant la ville et "
                    "l'intercommunalité.</p>"
                ),
                "image": NO_IMAGE,
                "page": find_page("cite-declercq"),
                "link_label": "Découvrir la cité Declercq",
            },
        ),
        (
            "article",
            {
                "title": "Co-construire des solutions…",
                "text": (
                    "<p>Le 12 juin dernier à la "
                    f"{page_link('cite-la-parisienne', 'Cité de la Parisienne à Drocourt')}, "
                    "4 ateliers pour imaginer ensemble « l'avenir de la Place des Mines », « les "
                    "enjeux de déplacements et de stationnement », « les lieux de rencontres et "
                    "aires de jeux dans la cité », « les nombreux jardins et voyettes… ». Ces "
                    "échanges seront portés à la connaissance des élus de la commune et de "
                    "l'intercommunalité pour définir les axes de réflexions sur les évolutions "
                    "possibles du quartier dans le cadre de l'ERBM.</p>"
                ),
                "image": {"image": drocourt_1, "alt_text": "", "caption": "", "credit": ""},
                "page": find_page("cite-la-parisienne"),
                "link_label": "Découvrir la cité de la Parisienne",
            },
        ),
        ("image", {"image": drocourt_2, "alt_text": "", "caption": "", "credit": ""}),
    ]
    return [block for block in body if block is not None]


def load(home: HomePage) -> None:
    index = child_page(
        home,
        NewsletterIndexPage,
        slug="lettre",
        title="La lettre",
        show_in_menus=True,
        intro="<p>« Renouveau du Bassin Minier », la lettre de l'Engagement : les avancées de la "
        "rénovation des cités minières et les habitants qui y prennent part.</p>",
        teaser_text="Tous les numéros de la lettre « Renouveau du Bassin Minier ».",
    )
    if NewsletterIssuePage.objects.filter(number=2).exists():
        return
    child_page(
        index,
        NewsletterIssuePage,
        slug="n2-juillet-2019",
        title=ISSUE_2_TITLE,
        number=2,
        issue_date=date(2019, 7, 1),
        preheader="4e comité de pilotage, le référentiel d'ambitions partagées et des habitants "
        "mobilisés à Condé, Vicq, Oignies et Drocourt.",
        teaser_text="Le 4e comité de pilotage, le mode d'emploi de la rénovation intégrée et des "
        "habitants mobilisés dans les cités.",
        body=issue_2_body(),
        teaser_image=conde_image(),
    )
