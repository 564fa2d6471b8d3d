"""Demo content of the legal pages, the site map, the cookies page and the contact form.

Values an editor must confirm are marked « à compléter » or « à confirmer »: no SIREN or name is
invented and presented as true."""

from __future__ import annotations

import datetime

from wagtail.models import Page, Site

from .accessibility import AccessibilityCriterion, AccessibilityStatementPage
from .form_pages import FormField, FormPage
from .legal import DataProcessing, LegalNoticePage, PersonalDataPage, SitemapPage
from .models import HomePage, SiteSettings, StandardPage

CONTACT = "contact@renouveaubassinminier.fr"
AWS = "Amazon Web Services EMEA SARL (Luxembourg), région de Paris (eu-west-3)"
# The publisher's identity is in every mail's footer: the pre-send checks refuse a placeholder
# there, so it is the prefecture's public postal address (editors confirm the publisher).
PREFECTURE = "Préfecture de la région Hauts-de-France"
PREFECTURE_ADDRESS = "12-14 rue Jean Sans Peur\nCS 20003\n59039 Lille Cedex"

# The letter's audience measure, stated where its data are described (and on the cookies page).
NEWSLETTER_CLICKS = (
    "La lettre ne contient aucun pixel de suivi : son ouverture n'est pas mesurée. Les clics sur "
    "ses liens sont comptés au total, lien par lien, grâce à une redirection par notre site dont "
    "l'adresse ne contient aucun identifiant : aucune donnée personnelle n'est conservée sur les "
    "clics (ni adresse électronique, ni adresse IP, ni cookie)."
)

COOKIES_BODY = [
    (
        "paragraph",
        "<p>Ce site ne dépose <b>aucun cookie de mesure d'audience ni de publicité</b>, et ne "
        "mesure pas l'ouverture de la lettre d'information. Il n'a donc pas de bandeau de "
        f"consentement.</p><p>{NEWSLETTER_CLICKS}</p>",
    ),
    ("heading", {"text": "Cookies strictement nécessaires", "level": "h2"}),
    (
        "paragraph",
        "<ul><li><b>csrftoken</b> : déposé quand vous envoyez un formulaire (abonnement, demande "
        "de document, contact), il protège contre l'envoi de formulaires à votre insu ; "
        "conservé un an.</li><li><b>sessionid</b> et <b>messages</b> : seulement pour l'équipe "
        "qui administre le site, le temps de la session.</li></ul><p>Exemptés de consentement "
        "(article 82 de la loi Informatique et Libertés), ils ne servent à aucun suivi.</p>",
    ),
    ("heading", {"text": "Contenus intégrés", "level": "h2"}),
    (
        "paragraph",
        "<p>Les vidéos (YouTube, Vimeo, Dailymotion) ne sont pas chargées à l'affichage de la "
        "page : un encadré vous indique la plateforme, et la vidéo n'est chargée qu'après un "
        "clic sur « Charger et lire la vidéo ». Ces plateformes peuvent alors déposer leurs "
        "propres cookies, selon leurs politiques. Vous pouvez aussi regarder la vidéo sur le "
        "site de la plateforme.</p><p>La carte des cités affiche le fond « Plan IGN » de "
        "l'Institut national de l'information géographique et forestière (IGN), servi par la "
        "Géoplateforme (data.geopf.fr) : votre navigateur demande ces images aux serveurs de "
        "l'IGN, qui reçoivent votre adresse IP mais ne déposent pas de cookie.</p>",
    ),
]

CRITERIA = [
    ("1.1", "Chaque image porteuse d'information a-t-elle une alternative textuelle ?", "C", ""),
    ("1.2", "Chaque image de décoration est-elle correctement ignorée ?", "C", ""),
    ("3.2", "Le contraste entre le texte et son arrière-plan est-il suffisant ?", "C", ""),
    (
        "4.1",
        "Chaque média temporel pré-enregistré a-t-il une transcription ?",
        "NC",
        "Certaines vidéos de webinaires n'ont pas encore de transcription.",
    ),
    (
        "4.3",
        "Chaque média synchronisé pré-enregistré a-t-il des sous-titres ?",
        "NC",
        "Les sous-titres des webinaires de 2024 sont en cours de réalisation.",
    ),
    ("5.1", "Chaque tableau de données complexe a-t-il un résumé ?", "NA", ""),
    ("6.1", "Chaque lien est-il explicite ?", "C", ""),
    ("7.1", "Chaque script est-il compatible avec les technologies d'assistance ?", "C", ""),
    ("8.5", "Chaque page web a-t-elle un titre de page ?", "C", ""),
    ("9.1", "L'information est-elle structurée par des titres appropriés ?", "C", ""),
    ("10.7", "La prise de focus est-elle visible ?", "C", ""),
    ("11.1", "Chaque champ de formulaire a-t-il une étiquette ?", "C", ""),
    ("12.7", "Un lien d'évitement vers le contenu principal est-il présent ?", "C", ""),
    (
        "13.3",
        "Chaque document bureautique en téléchargement a-t-il une version accessible ?",
        "NC",
        "Des documents PDF anciens ne sont pas balisés.",
    ),
]

PROCESSINGS = [
    {
        "name": "Lettre d'information",
        "purpose": "Envoyer la lettre « Renouveau du Bassin Minier » aux personnes abonnées, "
        "selon leurs préférences (profil, cités et communes suivies).",
        "legal_basis": DataProcessing.LegalBasis.CONSENT,
        "data": "Adresse électronique, prénom (facultatif), profil, communes suivies ; preuve "
        "du consentement (date, page, adresse IP, version du texte accepté).\n\n"
        + NEWSLETTER_CLICKS,
        "retention": "Jusqu'au désabonnement. Adresses non confirmées : supprimées après 30 "
        "jours. Sans aucune interaction pendant 3 ans, le consentement est redemandé.",
        "recipients": "L'équipe de communication du programme.",
        "processors": f"Amazon SES (envoi des courriels) : {AWS}.",
    },
    {
        "name": "Suivi de cités",
        "purpose": "Vous prévenir des nouvelles d'une cité ou d'une commune que vous suivez "
        "(préférences de la lettre).",
        "legal_basis": DataProcessing.LegalBasis.CONSENT,
        "data": "Adresse électronique, cités et communes suivies.",
        "retention": "Jusqu'à ce que vous cessiez de les suivre ou vous désabonniez.",
        "processors": f"Amazon SES : {AWS}.",
    },
    {
        "name": "Demandes de documents",
        "purpose": "Envoyer par courriel un lien personnel de téléchargement des documents "
        "diffusés sur demande, et suivre la diffusion des documents du programme.",
        "legal_basis": DataProcessing.LegalBasis.PUBLIC_INTEREST,
        "data": "Adresse électronique, nom et organisme (facultatifs), document demandé, date, "
        "adresse IP (lutte contre les abus).",
        "retention": "Un an après la demande ; le lien de téléchargement expire après 7 jours.",
        "recipients": "L'équipe du programme.",
        "processors": f"Amazon SES (courriels) et Amazon S3 (stockage des documents) : {AWS}.",
    },
    {
        "name": "Inscriptions aux webinaires",
        "purpose": "Inscrire les participants aux webinaires du programme et leur envoyer le "
        "lien de connexion.",
        "legal_basis": DataProcessing.LegalBasis.PUBLIC_INTEREST,
        "data": "Nom, adresse électronique, organisme, fonction (formulaire d'inscription de la "
        "plateforme de webinaire, à laquelle le site renvoie).",
        "retention": "Un an après le webinaire (à confirmer avec l'outil retenu).",
        "processors": "L'éditeur de la plateforme de webinaire (à compléter).",
    },
    {
        "name": "Formulaire de contact",
        "purpose": "Répondre aux messages envoyés par le formulaire de contact.",
        "legal_basis": DataProcessing.LegalBasis.PUBLIC_INTEREST,
        "data": "Nom, adresse électronique, organisme (facultatif), message.",
        "retention": "Un an après la réponse.",
        "processors": f"Amazon SES (notification de l'équipe) : {AWS}.",
    },
    {
        "name": "Sécurité du site",
        "purpose": "Protéger le site et ses formulaires contre les abus (limitation du nombre "
        "d'envois, blocage des tentatives de connexion).",
        "legal_basis": DataProcessing.LegalBasis.LEGITIMATE_INTEREST,
        "data": "Adresse IP, date, page demandée.",
        "retention": "Quelques heures pour les compteurs d'envois ; journaux du serveur : 6 mois "
        "au plus.",
        "processors": f"Hébergement : {AWS}.",
    },
]


def _replace_placeholder(parent: Page, slug: str, page_class: type[Page]) -> None:
    """Earlier demo versions made the legal pages as plain StandardPages: replace such a page
    if nobody edited it since (a single revision), so that the structured page takes its slug."""
    existing = parent.get_children().filter(slug=slug).first()
    if existing and existing.specific_class is not page_class and existing.revisions.count() <= 1:
        existing.delete()


def _child(parent: Page, page_class: type[Page], *, slug: str, children=(), **fields) -> Page:
    """The child of `parent` with this slug, created and published when missing."""
    _replace_placeholder(parent, slug, page_class)
    existing = parent.get_children().filter(slug=slug).first()
    if existing:
        return existing.specific
    page = page_class(slug=slug, **fields)
    for relation, items in children:
        setattr(page, relation, items)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def load(home: HomePage) -> list[Page]:
    """The legal pages, in the order of the footer's legal links."""
    contact = _child(
        home,
        FormPage,
        slug="contact",
        title="Nous contacter",
        teaser_text="Une question sur le programme, une cité, un document ? Écrivez-nous.",
        intro="<p>Une question sur le programme, une cité ou un document ? Écrivez-nous : "
        "l'équipe vous répond sous quinze jours ouvrés.</p>",
        submit_label="Envoyer le message",
        data_notice="<p>Vos données servent uniquement à vous répondre et sont conservées un an "
        'après la réponse. Voir la page <a href="/donnees-personnelles/">Données '
        "personnelles</a>.</p>",
        thank_you_text="<p>Merci, votre message a bien été envoyé. Nous vous répondrons par "
        "courriel.</p>",
        subject="Site Renouveau du Bassin Minier : nouveau message",
        children=[
            (
                "form_fields",
                [
                    FormField(label="Nom", field_type="singleline", required=True),
                    FormField(label="Adresse électronique", field_type="email", required=True),
                    FormField(label="Organisme", field_type="singleline", required=False),
                    FormField(
                        label="Objet",
                        field_type="dropdown",
                        required=True,
                        choices="Question sur le programme\nQuestion sur une cité\n"
                        "Demande de document\nAccessibilité du site\nAutre",
                    ),
                    FormField(label="Message", field_type="multiline", required=True),
                ],
            )
        ],
    )
    notice = _child(
        home,
        LegalNoticePage,
        slug="mentions-legales",
        title="Mentions légales",
        publisher_name=PREFECTURE,
        publisher_legal_form="Service déconcentré de l'État, pour le compte des signataires de "
        "l'Engagement pour le Renouveau du Bassin Minier",
        publisher_address=PREFECTURE_ADDRESS,
        publisher_siren="",
        publisher_email=CONTACT,
        director_name="Le préfet de la région Hauts-de-France (nom à compléter)",
        director_role="directeur de la publication",
        host_name="Amazon Web Services EMEA SARL (à confirmer selon l'hébergement retenu)",
        host_address="38 avenue John F. Kennedy\nL-1855 Luxembourg",
        host_website="https://aws.amazon.com/fr/",
        body=[
            ("heading", {"text": "Propriété intellectuelle et crédits", "level": "h2"}),
            (
                "paragraph",
                "<p>Les photographies sont la propriété de leurs auteurs, crédités sous chaque "
                "image. Les textes du site peuvent être réutilisés en citant la source ; les "
                "données ouvertes des cités sont publiées sous Licence Ouverte 2.0.</p>",
            ),
        ],
    )
    data_page = _child(
        home,
        PersonalDataPage,
        slug="donnees-personnelles",
        title="Données personnelles",
        intro="<p>Cette page décrit les données personnelles que le site recueille, pourquoi, "
        "combien de temps il les garde et qui les traite pour son compte.</p>",
        controller_name=PREFECTURE,
        controller_address=PREFECTURE_ADDRESS,
        dpo_contact="Délégué à la protection des données du responsable de traitement "
        "(coordonnées à compléter)",
        rights_contact=CONTACT,
        children=[("processings", [DataProcessing(**item) for item in PROCESSINGS])],
    )
    cookies = _child(
        home,
        StandardPage,
        slug="cookies",
        title="Cookies et contenus intégrés",
        intro="Ce que le site dépose sur votre appareil, et ce que les contenus intégrés "
        "(vidéos, carte) transmettent à des tiers.",
        body=COOKIES_BODY,
    )
    statement = _child(
        home,
        AccessibilityStatementPage,
        slug="accessibilite",
        title="Déclaration d'accessibilité",
        entity=PREFECTURE,
        site_name="Renouveau du Bassin Minier",
        statement_date=datetime.date(2026, 11, 30),
        audit_date=datetime.date(2026, 11, 27),
        auditor="auto-évaluation de l'équipe du site (démonstration : grille partielle, à "
        "remplacer par l'audit complet des 106 critères)",
        test_environment="<ul><li>Firefox et NVDA (Windows)</li><li>Safari et VoiceOver "
        "(macOS, iOS)</li><li>Chromium et axe-core (tests automatisés)</li></ul>",
        audited_pages="<ul><li>Accueil</li><li>Les cités (carte et liste)</li><li>Une fiche de "
        "cité</li><li>Actualités</li><li>Abonnement à la lettre</li><li>Nous contacter</li>"
        "<li>Mentions légales</li></ul>",
        disproportionate_burden="<p>Aucune.</p>",
        exempt_content="<p>Les vidéos des webinaires publiées avant le 23 septembre 2020 et "
        "les documents bureautiques publiés avant le 23 septembre 2018, non nécessaires à "
        "l'accomplissement d'une démarche.</p>",
        contact_email=CONTACT,
        contact_page=contact,
        multi_year_plan="<p>Schéma pluriannuel 2026-2028 (à compléter) : audit complet en "
        "2027, sous-titrage de toutes les vidéos, balisage des documents PDF, formation de "
        "l'équipe de rédaction.</p>",
        children=[
            (
                "criteria",
                [
                    AccessibilityCriterion(number=n, title=t, result=r, note=note)
                    for n, t, r, note in CRITERIA
                ],
            )
        ],
    )
    sitemap = _child(
        home,
        SitemapPage,
        slug="plan-du-site",
        title="Plan du site",
        intro="Toutes les rubriques du site et leurs pages.",
    )
    del statement, sitemap  # reached from the footer's own links
    return [notice, data_page, cookies, contact]


def set_legal_links(legal_pages: list[Page]) -> None:
    """Add the legal pages missing from the footer's legal links (none duplicated)."""
    site_settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    linked = {
        link.value.get("page").pk for link in site_settings.legal_links if link.value.get("page")
    }
    linked_ok = [
        (
            "link",
            {"label": link.value["label"], "page": link.value["page"], "url": link.value["url"]},
        )
        for link in site_settings.legal_links
        if link.value.get("url") or (link.value.get("page") and link.value["page"].live)
    ]
    missing = [
        ("link", {"label": "", "page": page}) for page in legal_pages if page.pk not in linked
    ]
    if missing or len(linked_ok) != len(site_settings.legal_links):
        site_settings.legal_links = linked_ok + missing
        site_settings.save()
