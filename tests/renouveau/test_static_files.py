"""Production's static files storage remembers each name's URL: the manifest's hashed name,
found once per process; a name missing from the manifest still fails every time (a release
without `collectstatic`, « Missing staticfiles manifest entry »), it is never remembered."""

import json

import pytest

from renouveau.static_files import RememberingStaticFilesStorage


@pytest.fixture
def storage(tmp_path):
    manifest = {"paths": {"css/site.css": "css/site.0123456789ab.css"}, "version": "1.1"}
    (tmp_path / "staticfiles.json").write_text(json.dumps(manifest))
    return RememberingStaticFilesStorage(location=str(tmp_path), base_url="/static/")


def test_a_name_s_url_is_the_manifest_s_and_is_worked_out_once(storage, monkeypatch):
    assert storage.url("css/site.css") == "/static/css/site.0123456789ab.css"
    looked_up = []
    monkeypatch.setattr(storage, "stored_name", lambda name: looked_up.append(name))
    assert storage.url("css/site.css") == "/static/css/site.0123456789ab.css"
    assert looked_up == []


def test_a_name_missing_from_the_manifest_fails_every_time(storage):
    for _ in range(2):
        with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
            storage.url("css/absent.css")
