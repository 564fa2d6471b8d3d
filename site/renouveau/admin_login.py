"""The admin login form in French: Wagtail's own gives its password field no label, so Django
shows the field's name, « Password », whatever the language (WAGTAILADMIN_USER_LOGIN_FORM)."""

from django.utils.translation import gettext_lazy
from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm


class LoginForm(WagtailLoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].label = gettext_lazy("Password")  # « Mot de passe »
