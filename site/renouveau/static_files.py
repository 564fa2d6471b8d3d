"""Static files in production: whitenoise's compressed, hashed copies, with each name's URL
worked out once per process.

A page of the Wagtail admin asks for a few hundred static URLs (`versioned_static` in every
panel and widget), each one a manifest look-up, a URL split and a join: about 2 ms per edit
view. The manifest is written by `collectstatic` at the release and read when the process
starts, so a name's URL cannot change while the process runs.
"""

from __future__ import annotations

from whitenoise.storage import CompressedManifestStaticFilesStorage


class RememberingStaticFilesStorage(CompressedManifestStaticFilesStorage):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._urls: dict[str, str] = {}

    def url(self, name, force=False):
        if force:
            return super().url(name, force)
        try:
            return self._urls[name]
        except KeyError:
            # A name missing from the manifest raises, and is not remembered.
            url = self._urls[name] = super().url(name)
            return url
