from django.apps import AppConfig
from wagtail.signals import page_published, page_unpublished


class SearchConfig(AppConfig):
    name = "search"
    label = "site_search"
    verbose_name = "Recherche"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from .tasks import rebuild_vocabulary_after_commit  # models are loaded only now

        for signal in (page_published, page_unpublished):
            signal.connect(
                rebuild_vocabulary_after_commit, dispatch_uid=f"search-vocabulary-{id(signal)}"
            )
