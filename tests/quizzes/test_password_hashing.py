"""Passwords are stored with Argon2id at OWASP's recommended cost (19 MiB, 2 passes, 1 lane):
memory-hard, so it resists GPU cracking better than PBKDF2, for about a tenth of PBKDF2's CPU
per sign-in. Hashes made by earlier versions (PBKDF2) still sign in and are upgraded then."""

import pytest
from django.conf import settings
from django.contrib.auth.hashers import identify_hasher, make_password
from django.test import override_settings
from django.urls import reverse

import config.settings.base as production_settings
from quizzes.passwords import Argon2idPasswordHasher

PASSWORD = "correct-horse-battery-2026"
PRODUCTION_HASHERS = production_settings.PASSWORD_HASHERS


def test_production_prefers_argon2id_and_still_reads_pbkdf2_hashes():
    assert PRODUCTION_HASHERS[0] == "quizzes.passwords.Argon2idPasswordHasher"
    assert "django.contrib.auth.hashers.PBKDF2PasswordHasher" in PRODUCTION_HASHERS
    assert settings.PASSWORD_HASHERS == ["django.contrib.auth.hashers.MD5PasswordHasher"]  # tests stay fast


def test_the_hash_is_argon2id_with_owasp_parameters():
    encoded = Argon2idPasswordHasher().encode(PASSWORD, "a-random-salt-1234")
    decoded = Argon2idPasswordHasher().decode(encoded)
    assert encoded.startswith("argon2$argon2id$")
    assert (decoded["memory_cost"], decoded["time_cost"], decoded["parallelism"]) == (19 * 1024, 2, 1)
    assert Argon2idPasswordHasher().verify(PASSWORD, encoded)
    assert not Argon2idPasswordHasher().verify("wrong-password", encoded)


@pytest.mark.django_db
@override_settings(PASSWORD_HASHERS=PRODUCTION_HASHERS)
def test_an_old_pbkdf2_hash_signs_in_and_is_upgraded(client, django_user_model):
    user = django_user_model.objects.create(username="ada", password=make_password(PASSWORD, hasher="pbkdf2_sha256"))
    assert identify_hasher(user.password).algorithm == "pbkdf2_sha256"
    signed_in = client.post(reverse("login"), {"username": "ada", "password": PASSWORD})
    assert signed_in.status_code == 302 and client.session["_auth_user_id"] == str(user.pk)
    user.refresh_from_db()
    assert isinstance(identify_hasher(user.password), Argon2idPasswordHasher)
    assert user.check_password(PASSWORD) and not user.check_password("not-the-password")

