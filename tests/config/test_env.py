"""Yes/no environment settings: 1/0/true/false/yes/no/on/off, anything else refused at start-up."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.settings.env import env_bool
from tests.config.test_settings import PROD_ENV, _manage


@pytest.mark.parametrize("text", ["1", "true", "TRUE", "Yes", "on", " On "])
def test_true_words(monkeypatch, text):
    monkeypatch.setenv("SOME_FLAG", text)
    assert env_bool("SOME_FLAG", default=False) is True


@pytest.mark.parametrize("text", ["0", "false", "False", "NO", "off"])
def test_false_words(monkeypatch, text):
    monkeypatch.setenv("SOME_FLAG", text)
    assert env_bool("SOME_FLAG", default=True) is False


def test_unset_or_empty_takes_the_default(monkeypatch):
    monkeypatch.delenv("SOME_FLAG", raising=False)
    assert env_bool("SOME_FLAG", default=True) is True
    monkeypatch.setenv("SOME_FLAG", "")
    assert env_bool("SOME_FLAG", default=False) is False


@pytest.mark.parametrize("text", ["2", "ture", "y", "enabled", "nope"])
def test_anything_else_is_refused_with_the_name_and_the_words(monkeypatch, text):
    monkeypatch.setenv("SOME_FLAG", text)
    with pytest.raises(ImproperlyConfigured, match=r"SOME_FLAG must be one of 1/0, true/false, yes/no, on/off"):
        env_bool("SOME_FLAG", default=False)


def test_production_refuses_to_start_with_a_malformed_yes_no_setting():
    result = _manage("check", env={**PROD_ENV, "EMAIL_USE_TLS": "ture"})
    assert result.returncode != 0
    assert "EMAIL_USE_TLS must be one of" in result.stderr


def test_production_reads_yes_and_no_words():
    result = _manage("shell", "-c", "from django.conf import settings; print(settings.SECURE_SSL_REDIRECT, settings.EMAIL_USE_TLS)",
                     env={**PROD_ENV, "SECURE_SSL_REDIRECT": "off", "EMAIL_USE_TLS": "Yes"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == ["False", "True"]
