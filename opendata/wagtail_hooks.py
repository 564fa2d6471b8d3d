from django.http import HttpRequest
from django.urls import reverse
from wagtail import hooks


@hooks.register("works_observatory_links")  # works.views.LINKS_HOOK
def observatory_links(request: HttpRequest) -> list[tuple[str, str]]:
    return [
        ("API des données ouvertes et sa documentation", reverse("opendata_documentation")),
        ("Catalogue DCAT-AP des jeux de données (JSON-LD)", reverse("opendata_catalogue")),
        ("Kit partenaires\u00a0: widgets à intégrer à votre site", reverse("opendata_partners")),
    ]
