"""Static URLs are worked out once per name and storage, and are exactly what Django's storages answer."""

from unittest import mock

import pytest
from django.contrib.staticfiles.storage import StaticFilesStorage, staticfiles_storage
from django.templatetags.static import static
from django.test import override_settings
from whitenoise.storage import CompressedManifestStaticFilesStorage

from quizzes.static_storage import REMEMBERED_URLS, SourceStaticStorage, StaticStorage

NAMES = ["css/site.css", "img/favicon.svg", "js/autosave.js", "fonts/a b.woff2", "css/site.css#top",
         "js/é.js", "dir/"]


def test_the_site_uses_the_remembering_storages():
    from config.settings import base, bench, dev, test

    assert base.STORAGES["staticfiles"]["BACKEND"] == "quizzes.static_storage.StaticStorage"
    for module in (bench, dev, test):
        assert module.STORAGES["staticfiles"]["BACKEND"] == "quizzes.static_storage.SourceStaticStorage"
    assert static("css/site.css") == "/static/css/site.css"
    assert type(staticfiles_storage._wrapped) is SourceStaticStorage


@pytest.mark.parametrize("name", NAMES)
def test_a_remembered_url_is_what_the_plain_storage_answers(name):
    assert SourceStaticStorage().url(name) == StaticFilesStorage().url(name)
    storage = SourceStaticStorage()
    assert storage.url(name) == storage.url(name) == StaticFilesStorage().url(name)


def test_the_storage_is_asked_once_per_name():
    storage = SourceStaticStorage()
    with mock.patch.object(StaticFilesStorage, "url", autospec=True, side_effect=lambda s, n: f"/s/{n}") as asked:
        assert [storage.url("a.css"), storage.url("a.css"), storage.url("b.css"), storage.url("a.css")] == [
            "/s/a.css", "/s/a.css", "/s/b.css", "/s/a.css"]
    assert [call.args[1] for call in asked.call_args_list] == ["a.css", "b.css"]


def test_options_and_debug_always_ask_the_storage(tmp_path):
    storage = StaticStorage(location=tmp_path)
    storage.__dict__["_remembered_urls"] = {"a.css": "/static/a.123.css"}
    with mock.patch.object(CompressedManifestStaticFilesStorage, "url", autospec=True,
                           return_value="/asked") as asked:
        assert storage.url("a.css", force=True) == "/asked"
        with override_settings(DEBUG=True):
            assert storage.url("a.css") == "/asked"
        assert storage.url("a.css") == "/static/a.123.css"
    assert asked.call_count == 2


def test_a_changed_static_url_gives_a_new_storage_and_new_urls():
    assert static("css/site.css") == "/static/css/site.css"
    with override_settings(STATIC_URL="/assets/"):
        assert static("css/site.css") == "/assets/css/site.css"
    assert static("css/site.css") == "/static/css/site.css"


def test_it_remembers_a_bounded_number_of_names():
    storage = SourceStaticStorage()
    for number in range(REMEMBERED_URLS + 50):
        assert storage.url(f"f{number}.js") == f"/static/f{number}.js"
    assert len(storage._remembered_urls) == REMEMBERED_URLS
    assert storage.url(f"f{REMEMBERED_URLS + 10}.js") == f"/static/f{REMEMBERED_URLS + 10}.js"


def test_the_manifest_storage_remembers_hashed_names_and_never_a_missing_file(tmp_path):
    (tmp_path / "css").mkdir()
    (tmp_path / "css" / "site.css").write_text("body { color: black }")
    root = tmp_path / "collected"
    with override_settings(STATIC_ROOT=root, STATICFILES_DIRS=[tmp_path]):
        from django.core.management import call_command

        storage_settings = {"default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
                            "staticfiles": {"BACKEND": "quizzes.static_storage.StaticStorage"}}
        with override_settings(STORAGES=storage_settings):
            call_command("collectstatic", interactive=False, verbosity=0)
            storage = StaticStorage()
            url = storage.url("css/site.css")
            assert url.startswith("/static/css/site.") and url.endswith(".css") and url != "/static/css/site.css"
            assert storage.url("css/site.css") == url
            for _ in range(2):
                with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
                    storage.url("css/missing.css")
            assert "css/missing.css" not in storage._remembered_urls
