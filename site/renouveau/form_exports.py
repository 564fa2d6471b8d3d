"""The answers of a form built in the admin (« Formulaires »), exported through the site's one
CSV writer (renouveau.csv_export). Its own module: Wagtail's forms views need the models
loaded, so FormPage imports it when asked for the view."""

from wagtail.contrib.forms.views import SubmissionsListView

from .csv_export import SafeCsvExportMixin


class SafeSubmissionsListView(SafeCsvExportMixin, SubmissionsListView):
    pass
