"""The observatory page, its open data and the embeddable widget of one cité. Figures from
`figures.py`, kept for a content generation (renouveau.fragments): a saved tracker is a
snippet save, which starts a new generation, so a delivery shows at once."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET
from wagtail import hooks

from cites_pages.models import CityPage
from renouveau.visibility import public_pages

from .charts import bar_chart
from .figures import current_observatory, dwellings_text, resident_summary
from .framing import partner_frame
from .models import Operation
from .opendata import COLUMNS, LICENCE, LICENCE_URL, as_csv, as_json


def _charts(figures) -> list:
    def rows(items):
        return [(row.label, row.delivered) for row in items]

    def leader(items, what: str) -> str:
        best = max(items, key=lambda row: row.delivered, default=None)
        if best is None or not best.delivered:
            return f"Aucun logement livré n’est encore enregistré {what}."
        return f"{best.label} en compte le plus\u00a0: {dwellings_text(best.delivered)}."

    years = figures.by_year
    year_text = (
        f"De {years[0].label} à {years[-1].label}\u00a0: "
        + ", ".join(f"{dwellings_text(row.delivered)} en {row.label}" for row in years)
        + "."
        if years
        else "Aucune livraison enregistrée."
    )
    label_text = (
        ", ".join(
            f"{dwellings_text(row.delivered)} passés de {row.label}" for row in figures.by_label
        )
        + "."
        if figures.by_label
        else "Aucune tranche terminée n’a encore d’étiquettes enregistrées."
    )
    return [
        bar_chart(
            "annee", "Logements livrés par année", rows(years),
            summary=year_text, label_heading="Année",
        ),
        bar_chart(
            "epci", "Logements livrés par intercommunalité", rows(figures.by_epci),
            summary=leader(figures.by_epci, "par intercommunalité"),
            label_heading="Intercommunalité",
        ),
        bar_chart(
            "bailleur", "Logements livrés par bailleur", rows(figures.by_landlord),
            summary=leader(figures.by_landlord, "par bailleur"), label_heading="Bailleur",
        ),
        bar_chart(
            "etiquette", "Étiquette énergétique gagnée (tranches terminées)",
            rows(figures.by_label), summary=label_text,
            label_heading="Étiquette DPE avant → après", value_heading="Logements",
        ),
    ]  # fmt: skip


# Apps above works add links to the observatory's open data section (opendata: the API, its
# documentation, the DCAT catalogue, the partner kit) through this hook: functions taking the
# request and returning (label, url) pairs.
LINKS_HOOK = "works_observatory_links"


def _more_links(request: HttpRequest) -> list[tuple[str, str]]:
    return [link for hook in hooks.get_hooks(LINKS_HOOK) for link in hook(request)]


@require_GET
def observatory_view(request: HttpRequest) -> HttpResponse:
    figures = current_observatory(request)
    return render(
        request,
        "works/observatory.html",
        {
            "figures": figures,
            "charts": _charts(figures),
            "columns": COLUMNS,
            "licence": LICENCE,
            "licence_url": LICENCE_URL,
            "more_links": _more_links(request),
        },
    )


@require_GET
def observatory_csv(request: HttpRequest) -> StreamingHttpResponse:
    return StreamingHttpResponse(
        as_csv(current_observatory(request)),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="avancement-cites-erbm.csv"'},
    )


@require_GET
def observatory_json(request: HttpRequest) -> JsonResponse:
    page_url = request.build_absolute_uri(reverse("works:observatory"))
    return JsonResponse(
        as_json(current_observatory(request), page_url), json_dumps_params={"ensure_ascii": False}
    )


@require_GET
@partner_frame  # made to be shown in partners' sites (opendata's partner kit)
def widget(request: HttpRequest, slug: str) -> HttpResponse:
    city = public_pages(CityPage.objects.all()).filter(slug=slug).first()
    operation = Operation.objects.filter(city=city).first() if city else None
    if operation is None:
        raise Http404("Aucun suivi de travaux publié pour cette cité.")
    summary = resident_summary(operation, timezone.localdate())
    return render(
        request,
        "works/widget.html",
        {"city": city, "summary": summary, "operation": operation},
    )
