"""``check --deploy`` refuses a secret key that is public or not random (sites.E001)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management.utils import get_random_secret_key
from django.test import override_settings

from sites.checks import check_secret_key, example_placeholder

ROOT = Path(__file__).resolve().parents[2]


def production_env(**extra):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "ELASTICSEARCH_", "DATABASE_", "REDIS_"))
    }
    for line in (ROOT / "platform" / "env.example").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            key, value = line.split("=", 1)
            env[key] = value.strip('"')
    env.update(extra)
    return env


def check_deploy(env):
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )


def error_ids(**settings):
    with override_settings(**settings):
        return [error.id for error in check_secret_key()]


def test_the_example_file_still_holds_a_placeholder_the_check_knows():
    assert example_placeholder().startswith("change-me")


@pytest.mark.parametrize(
    "key",
    [
        pytest.param(example_placeholder(), id="env.example placeholder"),
        pytest.param("change-me-" + get_random_secret_key(), id="change-me prefix"),
        pytest.param("CHANGEME" + get_random_secret_key(), id="changeme in capitals"),
        pytest.param(get_random_secret_key()[:30], id="short"),
        pytest.param("ab" * 40, id="two characters repeated"),
        pytest.param("django-insecure-" + get_random_secret_key(), id="startproject default"),
    ],
)
def test_a_public_or_weak_key_is_an_error(key):
    assert error_ids(SECRET_KEY=key) == ["sites.E001"]


def test_a_weak_fallback_key_is_an_error_too():
    ids = error_ids(SECRET_KEY=get_random_secret_key(), SECRET_KEY_FALLBACKS=["change-me-old"])
    assert ids == ["sites.E001"]


@pytest.mark.parametrize("generator", ["django", "hex", "urlsafe"])
def test_a_generated_key_passes(generator):
    import secrets

    key = {
        "django": get_random_secret_key,
        "hex": lambda: secrets.token_hex(32),
        "urlsafe": lambda: secrets.token_urlsafe(50),
    }[generator]()
    assert error_ids(SECRET_KEY=key, SECRET_KEY_FALLBACKS=[]) == []


def test_check_deploy_with_the_example_file_fails_and_passes_with_a_random_key():
    refused = check_deploy(production_env())
    assert refused.returncode != 0
    assert "sites.E001" in refused.stderr
    accepted = check_deploy(production_env(DJANGO_SECRET_KEY=get_random_secret_key()))
    assert accepted.returncode == 0, accepted.stderr
    assert "sites.E001" not in accepted.stderr + accepted.stdout
