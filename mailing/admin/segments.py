"""« Lettre : abonnés › Segments »: editors build named audiences (list, profiles, communes,
intercommunalités, cités suivies) and see « N destinataires » before saving. The count comes
from audience/segments.py (the same rule as sending); the list counts every segment of its page
in one query. Counting needs the right to see subscribers; building segments needs, besides,
mailing.add_subscriber or mailing.change_savedsegment."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import quote
from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_GET
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail_modeladmin.helpers import PermissionHelper
from wagtail_modeladmin.options import ModelAdmin
from wagtail_modeladmin.views import CreateView, EditView, IndexView

from cites_pages.models import EPCI, CityPage, Commune
from newsletter.models import NewsletterIssuePage
from renouveau.french import plural_suffix
from renouveau.profiles import VisitorProfile

from ..audience.segments import Criteria, segment_count, segment_counts
from ..models import SavedSegment
from .permissions import can_send, can_view_subscribers

CRITERIA_FIELDS = ("mailing_list", "profiles", "communes", "epcis", "cites")
NBSP = "\u00a0"


def can_view_segments(user) -> bool:
    """A count tells about subscribers: the same right as their list."""
    return can_view_subscribers(user)


def can_edit_segments(user) -> bool:
    return can_view_segments(user) and (
        user.has_perm("mailing.add_subscriber") or user.has_perm("mailing.change_savedsegment")
    )


def count_label(count: int) -> str:
    """« 1 destinataire », « 12 345 destinataires » (narrow no-break space between thousands)."""
    number = f"{count:,}".replace(",", "\u202f")
    return f"{number}{NBSP}destinataire{plural_suffix(count)}"


def _boxes(label: str, queryset, what: str, help_text: str) -> forms.ModelMultipleChoiceField:
    """Reference records to tick (none ticked: no condition on them)."""
    message = f"{what} n’existe pas ou plus{NBSP}: rechargez la page."
    return forms.ModelMultipleChoiceField(
        label=label,
        queryset=queryset,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=help_text,
        error_messages={"invalid_choice": message, "invalid_pk_value": message},
    )


class SegmentForm(WagtailAdminModelForm):
    """The segment's name and criteria; its criteria alone also feed the live count."""

    mailing_list = forms.ChoiceField(
        label="Liste",
        choices=SavedSegment.List.choices,
        widget=forms.RadioSelect,
        initial=SavedSegment.List.NEWSLETTER,
        help_text="Seuls les abonnés confirmés qui ont choisi cette liste reçoivent l’envoi.",
        error_messages={"invalid_choice": "Choisissez la lettre ou les annonces de webinaires."},
    )
    profiles = forms.MultipleChoiceField(
        label="Profils",
        choices=VisitorProfile.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=f"Aucun coché{NBSP}: tous les profils. Plusieurs cochés{NBSP}: l’un ou l’autre.",
        error_messages={"invalid_choice": f"Ce profil n’existe pas{NBSP}: rechargez la page."},
    )
    communes = _boxes(
        "Communes",
        Commune.objects.order_by("name"),
        "Cette commune",
        "Les abonnés qui ont déclaré l’une de ces communes d’intérêt.",
    )
    epcis = _boxes(
        "Intercommunalités (EPCI)",
        EPCI.objects.order_by("name"),
        "Cette intercommunalité",
        "Les abonnés qui ont déclaré une commune de l’une de ces intercommunalités. Communes et "
        f"intercommunalités s’additionnent (c’est le même critère{NBSP}: le lieu).",
    )
    cites = _boxes(
        "Cités suivies",
        CityPage.objects.order_by("title"),
        "Cette cité",
        "Les abonnés qui suivent l’une de ces cités. Chaque critère rempli restreint le "
        f"segment{NBSP}: par exemple les élus ET de la CA Lens-Liévin.",
    )

    class Meta:
        model = SavedSegment
        fields = ["name", *CRITERIA_FIELDS]
        labels = {"name": "Nom du segment"}
        help_texts = {"name": f"Par exemple{NBSP}: «{NBSP}Élus de la CA Lens-Liévin{NBSP}»."}
        error_messages = {
            "name": {"unique": f"Un segment porte déjà ce nom{NBSP}: choisissez-en un autre."}
        }

    def criteria(self) -> Criteria | None:
        """The criteria typed in, or None when one of them is wrong (the name aside)."""
        self.is_valid()
        if any(name in self.errors for name in CRITERIA_FIELDS):
            return None
        data = self.cleaned_data
        return Criteria(
            mailing_list=data["mailing_list"],
            profiles=tuple(data["profiles"]),
            commune_ids=tuple(c.pk for c in data["communes"]),
            epci_ids=tuple(e.pk for e in data["epcis"]),
            cite_ids=tuple(c.pk for c in data["cites"]),
        )

    def criteria_errors(self) -> list[str]:
        return [
            f"{self.fields[name].label}{NBSP}: {message}"
            for name in CRITERIA_FIELDS
            for message in self.errors.get(name, [])
        ]


@require_GET
def segment_count_view(request: HttpRequest) -> JsonResponse:
    """The live count of the form's criteria (ids and codes only in the address, never a name).
    Called by mailing/segment-count.js while the editor ticks."""
    if not can_view_segments(request.user):  # a JSON answer the script can show, not a redirect
        message = f"Vous n’avez pas le droit de consulter les abonnés{NBSP}: rien n’est compté."
        return JsonResponse({"error": message}, status=403)
    form = SegmentForm(request.GET, for_user=request.user)
    criteria = form.criteria()
    if criteria is None:
        return JsonResponse({"error": " ".join(form.criteria_errors())}, status=400)
    count = segment_count(criteria)
    return JsonResponse({"count": count, "label": count_label(count)})


class SegmentPermissionHelper(PermissionHelper):
    def user_can_list(self, user) -> bool:
        return can_view_segments(user)

    def user_can_create(self, user) -> bool:
        return can_edit_segments(user)

    def user_can_edit_obj(self, user, obj) -> bool:
        return can_edit_segments(user)

    def user_can_delete_obj(self, user, obj) -> bool:
        return can_edit_segments(user)


class SegmentIndexView(IndexView):
    """Each row's count, all of the page's segments in one query (segment_counts)."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        segments = list(context["object_list"])
        counts = segment_counts(segments)
        for segment in segments:
            segment.recipient_count = counts[segment.pk]
        context["object_list"] = segments
        return context


class SegmentFormMixin:
    """« Compter » without JavaScript: the button posts the form, which comes back with the
    count of what was ticked and nothing saved. With JavaScript the count follows each tick."""

    def post(self, request, *args, **kwargs):
        if "count" not in request.POST:
            return super().post(request, *args, **kwargs)
        form = self.get_form()
        criteria = form.criteria()
        for name in ("name", "__all__"):  # counting is not saving: no complaint about the name
            form.errors.pop(name, None)
        status = 200 if criteria is not None else 400
        return self.render_to_response(self.get_context_data(form=form), status=status)

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(form=form, **kwargs)
        if form is not None and form.is_bound:
            criteria = form.criteria()  # what was typed (already cleaned: no second query)
        else:
            saved = self.get_instance()
            criteria = Criteria.of(saved) if saved.pk else Criteria()
        context["segment_count_label"] = (
            count_label(segment_count(criteria)) if criteria is not None else None
        )
        context["segment_count_url"] = reverse("mailing_admin_segment_count")
        context["segment_criteria_fields"] = " ".join(CRITERIA_FIELDS)
        return context


class SegmentCreateView(SegmentFormMixin, CreateView):
    pass


class SegmentEditView(SegmentFormMixin, EditView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        issue = NewsletterIssuePage.objects.live().order_by("-first_published_at").first()
        if issue and can_send(self.request.user):
            url = reverse("mailing_admin_send", args=[issue.pk])
            context["send_url"] = f"{url}?saved_segment={quote(self.instance.pk)}"
            context["send_issue"] = issue
        return context


class SegmentAdmin(ModelAdmin):
    model = SavedSegment
    base_url_path = "mailing/segments"
    menu_label = "Segments"
    menu_icon = "group"
    menu_order = 150
    permission_helper_class = SegmentPermissionHelper
    index_view_class = SegmentIndexView
    create_view_class = SegmentCreateView
    edit_view_class = SegmentEditView
    create_template_name = "mailing/admin/segment_create.html"
    edit_template_name = "mailing/admin/segment_edit.html"
    # The live count, and a filter box above the ~250 communes (both optional: the form works
    # without JavaScript).
    form_view_extra_js = ["mailing/segment-count.js", "mailing/checkbox-filter.js"]
    list_display = ("name", "mailing_list", "recipients")
    # The page's counts are one query whose cost grows with the segments it counts (50 segments
    # over 50,000 subscribers: 4 s on PostgreSQL at load 16, against 7.5 s one by one): 20 a page.
    list_per_page = 20
    search_fields = ("name",)
    inspect_view_enabled = False
    edit_handler = ObjectList(
        [FieldPanel(name) for name in ("name", *CRITERIA_FIELDS)], base_form_class=SegmentForm
    )

    def get_queryset(self, request):
        # The relations of the page's segments in three queries, for their counts.
        return super().get_queryset(request).prefetch_related("communes", "epcis", "cites")

    @admin.display(description="Destinataires (confirmés)")
    def recipients(self, segment: SavedSegment) -> str:
        return count_label(segment.recipient_count)
