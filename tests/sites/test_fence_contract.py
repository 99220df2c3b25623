"""Contract of the tenancy fence: every model an office owns goes through it, and the
``sites`` app depends on no feature app."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from wagtail.models import Page
from wagtail.permissions import policy_registry

from sites import tenancy
from sites.fence import OfficePermissionPolicy
from sites.models import Office

SITES = Path(settings.BASE_DIR) / "sites"
FEATURE_APPS = ("home", "directory", "events", "newsletter")
#: Models with a relation to ``Office`` that are not office-owned records, and why.
NOT_OWNED = {
    Office: "the office itself, fenced by Wagtail's per-site setting permission",
}


def _reaches_office(model, depth=3, seen=()):
    """Whether a chain of forward foreign keys (at most ``depth`` long) leads to Office.

    Pages, and the rows inside a page (its inline children), belong to the office whose
    site holds the page: that is the page tree's ownership (``office_for_page``), fenced
    by Wagtail's page permissions, so the chain is not followed through a page.
    """
    if depth == 0 or model in seen or issubclass(model, Page):
        return False
    for field in model._meta.get_fields():
        if not (field.many_to_one or field.one_to_one) or not field.concrete:
            continue
        target = field.related_model
        if target is Office or (
            target is not None and _reaches_office(target, depth - 1, (*seen, model))
        ):
            return True
    return False


def _models_related_to_office():
    return [
        model
        for model in apps.get_models()
        if model not in NOT_OWNED and (model is Office or _reaches_office(model))
    ]


def test_every_model_related_to_an_office_is_declared_office_owned():
    missing = [
        model._meta.label
        for model in _models_related_to_office()
        if tenancy.ownership(model) is None
    ]
    assert not missing, f"office-owned models not declared in office_owned_models: {missing}"


def test_every_office_owned_model_has_the_fence_s_permission_policy():
    for model in tenancy.owned_models():
        policy = policy_registry.get_by_type(model, fallback=False)
        assert isinstance(policy, OfficePermissionPolicy), model._meta.label


def test_the_contract_notices_a_model_that_points_at_an_office():
    """The check above is not vacuous: it finds the office-owned models by their keys."""
    labels = {model._meta.label for model in _models_related_to_office()}
    assert {
        "directory.SelfHelpGroup",
        "directory.ContactRequest",
        "events.Registration",
        "newsletter.MailingList",
        "newsletter.Delivery",
        "sites.Room",
    } <= labels


def _imports(path):
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module


@pytest.mark.parametrize(
    "path",
    sorted(p for p in SITES.rglob("*.py") if "migrations" not in p.parts),
    ids=lambda p: str(p.relative_to(SITES)),
)
def test_no_module_of_the_sites_app_imports_a_feature_app(path):
    """Not even inside a function: the fence must not depend on the apps it fences."""
    offending = [name for name in _imports(path) if name.split(".")[0] in FEATURE_APPS]
    assert not offending, offending


def test_loading_every_sites_module_alone_imports_no_feature_app(tmp_path):
    """With only the platform's framework apps installed, every module of ``sites``
    imports, and no module of a feature app is loaded."""
    settings_module = tmp_path / "sites_alone_settings.py"
    settings_module.write_text(
        "from config.settings.test import *  # noqa\n"
        f"INSTALLED_APPS = [a for a in INSTALLED_APPS if a not in {FEATURE_APPS!r}]\n"
    )
    script = f"""
import importlib, pkgutil, sys
import django
django.setup()
import sites
names = [m.name for m in pkgutil.walk_packages(sites.__path__, "sites.")
         if ".migrations" not in m.name]
for name in names:
    importlib.import_module(name)
loaded = sorted(n for n in sys.modules if n.split(".")[0] in {FEATURE_APPS!r})
print(len(names), "modules;", "feature modules loaded:", loaded)
assert not loaded, loaded
"""
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=settings.BASE_DIR,
        env={
            "PYTHONPATH": f"{tmp_path}:{settings.BASE_DIR}",
            "DJANGO_SETTINGS_MODULE": "sites_alone_settings",
            "PATH": "/usr/bin:/bin",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "feature modules loaded: []" in result.stdout
