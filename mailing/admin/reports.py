"""Campaign reports in the admin: one campaign's report and the comparison of recent campaigns,
as pages with charts and as CSV (aggregate counts only: delivery/report.py)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils import timezone

from renouveau.csv_export import csv_lines

from ..delivery import report, report_chart
from ..models import Campaign
from .permissions import can_view_campaigns


def _csv_response(rows, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(csv_lines(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def campaign_report_view(request: HttpRequest, pk: int) -> HttpResponse:
    if not can_view_campaigns(request.user):
        raise PermissionDenied
    result = report.campaign_report(get_object_or_404(Campaign, pk=pk))
    rates = result.rates
    measures = [
        # « — » where there is nothing to measure yet (no mail sent, none said delivered).
        (label, getattr(result, name), (report.percent(rates[name]) or "—") if rate_label else "")
        for name, label, rate_label in report.MEASURES
    ]
    return TemplateResponse(
        request,
        "mailing/admin/report.html",
        {
            "campaign": result.campaign,
            "report": result,
            "measures": measures,
            "outcomes_chart": report_chart.bar_chart(
                "chart-outcomes",
                "Devenir des courriels de la campagne",
                [(label, value) for label, value, _ in measures],
            ),
            "links_chart": report_chart.bar_chart(
                "chart-links",
                "Clics par lien",
                [(f"{ln.position}. {ln.label or ln.url}", ln.clicks) for ln in result.links],
            )
            if result.links
            else "",
        },
    )


def campaign_report_csv(request: HttpRequest, pk: int) -> HttpResponse:
    if not can_view_campaigns(request.user):
        raise PermissionDenied
    result = report.campaign_report(get_object_or_404(Campaign, pk=pk))
    return _csv_response(report.report_rows(result), f"rapport-campagne-{pk}.csv")


def _compared(request: HttpRequest) -> list[report.CampaignReport]:
    count = request.GET.get("n", "")
    kind = request.GET.get("type", Campaign.Kind.NEWSLETTER)
    return report.reports(
        report.recent_campaigns(
            int(count) if count.isdigit() else report.COMPARE_DEFAULT,
            kind if kind in Campaign.Kind.values else Campaign.Kind.NEWSLETTER,
        )
    )


def compare_view(request: HttpRequest) -> HttpResponse:
    if not can_view_campaigns(request.user):
        raise PermissionDenied
    results = _compared(request)
    dates = [timezone.localtime(r.campaign.started_at).strftime("%d/%m/%y") for r in results]
    rates = [r.rates for r in results]
    rated = [(name, rate_label) for name, _, rate_label in report.MEASURES if rate_label]
    problems = [
        (rate_label, [rate[name] for rate in rates])
        for name, rate_label in rated
        if name in ("hard_bounces", "soft_bounces", "complaints", "unsubscribes")
    ]
    clicks = [("Clics pour 100 courriels remis", [rate["clicks"] for rate in rates])]
    return TemplateResponse(
        request,
        "mailing/admin/report_compare.html",
        {
            "rate_labels": [rate_label for _, rate_label in rated],
            "rows": [
                (r, [report.percent(rate[name]) for name, _ in rated])
                for r, rate in zip(results, rates, strict=True)
            ],
            "choices": [6, report.COMPARE_DEFAULT, 24, report.COMPARE_MAX],
            "selected": request.GET.get("n", str(report.COMPARE_DEFAULT)),
            "kinds": Campaign.Kind.choices,
            "kind": request.GET.get("type", Campaign.Kind.NEWSLETTER),
            "problems_chart": report_chart.line_chart(
                "chart-problems",
                "Rebonds, plaintes et désabonnements par campagne (% des envois)",
                dates,
                problems,
            ),
            "clicks_chart": report_chart.line_chart(
                "chart-clicks",
                "Clics pour 100 courriels remis, par campagne",
                dates,
                clicks,
                unit="",
            ),
        },
    )


def compare_csv(request: HttpRequest) -> HttpResponse:
    if not can_view_campaigns(request.user):
        raise PermissionDenied
    stamp = timezone.localdate().isoformat()
    return _csv_response(
        report.comparison_rows(_compared(request)), f"comparaison-campagnes-{stamp}.csv"
    )
