"""Form widgets and fields of the editors' admin that render faster than Django's own, with the
same HTML.

A checkbox list of pages or snippets cost 3-8 ms of an edit view (issue 32, editors' views: the
case study and webinar editors have three and five): Django renders five templates per option,
and reads the choices each time the list is rendered, through a server-side cursor on
PostgreSQL (three round trips), pages with all their StreamFields to show their titles; and
Wagtail renders each list twice (the form, and an empty copy packed for its JavaScript panels).
"""

from django import forms
from django.db.models import QuerySet
from django.forms.models import ModelChoiceIterator


def read_choices(choices) -> list:
    """The (value, label) pairs of a field's choices, read in one query without the StreamFields
    of pages (labels are titles or names)."""
    if not isinstance(choices, ModelChoiceIterator):
        return list(choices)
    field, queryset = choices.field, choices.queryset
    if hasattr(queryset, "defer_streamfields"):
        queryset = queryset.defer_streamfields()
    empty = [] if field.empty_label is None else [("", field.empty_label)]
    return empty + [choices.choice(obj) for obj in queryset]


class CheckboxSelectMultiple(forms.CheckboxSelectMultiple):
    """Django's list of checkboxes (same ids, names, labels, checked boxes, classes), rendered
    by a single template with no include per option, its choices read once per form.

    Django copies a form's widgets for each form made (one a request), and gives the copy new
    choices when it sets the field's queryset: a copy reads its own. The form class's widget,
    never copied, reads them at each rendering, as Django's does."""

    template_name = "renouveau/widgets/checkbox_select.html"
    _per_form = False  # True on the copies made for one form
    _read_from = None  # the choices that `_read` holds the pairs of

    def __deepcopy__(self, memo):
        widget = super().__deepcopy__(memo)
        widget._per_form = True
        return widget

    def optgroups(self, name, value, attrs=None):
        if self._read_from is not self.choices or not self._per_form:
            self._read_from, self._read = self.choices, read_choices(self.choices)
        source, self.choices = self.choices, self._read
        try:
            return super().optgroups(name, value, attrs)
        finally:
            self.choices = source


class KeysMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's field, which shows the initial value of a many-to-many relation (a queryset of
    its objects, ParentalManyToManyField's) by reading the objects whole for their keys (pages
    with all their StreamFields): the keys alone save 1.3 ms of a case study's edit view, 3.3 ms
    of a webinar's (in-process, bench database, medians of 11)."""

    def prepare_value(self, value):
        if isinstance(value, QuerySet):
            return list(value.values_list(self.to_field_name or "pk", flat=True))
        return super().prepare_value(value)
