"""``create_office`` creates a complete office in one step, or nothing at all."""

import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    GroupSitePermission,
    Page,
    Site,
)

from home.models import ContactPage, HomePage, StandardPage
from sites.models import Office, OfficeKind
from sites.provisioning import COORDINATORS_GROUP

pytestmark = pytest.mark.django_db


@pytest.fixture
def create(django_capture_on_commit_callbacks):
    """Run ``create_office`` and, as a real commit would, its on_commit hooks
    (provisioning publishes the translations there)."""

    def run(*args):
        out = io.StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("create_office", *args, stdout=out)
        return out.getvalue()

    return run


def snapshot():
    """Row counts of everything provisioning creates."""
    return {
        "sites": Site.objects.count(),
        "pages": Page.objects.count(),
        "offices": Office.objects.count(),
        "collections": Collection.objects.count(),
        "groups": Group.objects.count(),
        "page_perms": GroupPagePermission.objects.count(),
        "collection_perms": GroupCollectionPermission.objects.count(),
        "site_perms": GroupSitePermission.objects.count(),
    }


class TestCreateOffice:
    def test_it_creates_site_pages_translations_collection_groups_and_permissions(self, create):
        output = create("--hostname", "Gamma.Example.de", "--name", "Kontaktstelle Gamma")
        assert "Kontaktstelle Gamma" in output

        site = Site.objects.get(hostname="gamma.example.de")
        office = Office.objects.get(site=site)
        assert office.kind == OfficeKind.REGIONAL
        assert site.port == 80

        home_de = site.root_page.specific
        assert isinstance(home_de, HomePage)
        assert home_de.locale.language_code == "de"
        assert home_de.live
        home_en = home_de.get_translation_or_none(
            home_de.locale.__class__.objects.get(language_code="en")
        )
        assert home_en is not None and home_en.live

        children = {p.slug: p.specific for p in home_de.get_children()}
        assert isinstance(children["kontakt"], ContactPage)
        for slug in ("impressum", "datenschutz", "barrierefreiheit"):
            assert isinstance(children[slug], StandardPage)
            # A bare profile: the legal pages wait as drafts (tests/sites/test_legal_pages.py).
            assert not children[slug].live
        assert children["kontakt"].live
        # Name, e-mail, message; the consent checkbox is built into every form (home.forms).
        assert children["kontakt"].form_fields.count() == 3
        assert "consent" in children["kontakt"].get_form().fields
        # Every page is translated but the two that are German by nature (BITV 2.0 § 4:
        # Leichte Sprache, Gebärdensprache), which the English site links in German.
        translated = set(children) - {"leichte-sprache", "gebaerdensprache"}
        assert {"leichte-sprache", "gebaerdensprache"} <= set(children)
        assert {p.slug for p in home_en.get_children()} == translated
        assert home_en.numchild == len(translated)

        collection = Collection.objects.get(name="Kontaktstelle Gamma")
        groups = Group.objects.filter(name__startswith="Kontaktstelle Gamma – ")
        assert groups.count() == 2
        for group in groups:
            pages = set(
                GroupPagePermission.objects.filter(group=group).values_list("page", flat=True)
            )
            # every locale root of the site: the German home page and each translation
            roots = set(home_de.get_translations(inclusive=True).values_list("pk", flat=True))
            assert {home_de.pk, home_en.pk} <= roots
            assert pages == roots
            collections = set(
                GroupCollectionPermission.objects.filter(group=group).values_list(
                    "collection__name", flat=True
                )
            )
            assert collections == {"Kontaktstelle Gamma", "Landesweit"}
            # The office profile and the navigation (home.Navigation), on its own site only.
            site_perms = GroupSitePermission.objects.filter(group=group)
            assert set(site_perms.values_list("site", flat=True)) == {site.pk}
            assert set(site_perms.values_list("permission__codename", flat=True)) == {
                "change_office",
                "change_navigation",
            }
            assert group.permissions.filter(codename="access_admin").exists()
        publishers = Group.objects.get(name="Kontaktstelle Gamma – Freigabe")
        editors = Group.objects.get(name="Kontaktstelle Gamma – Redaktion")
        assert GroupPagePermission.objects.filter(
            group=publishers, permission__codename="publish_page"
        ).exists()
        assert not GroupPagePermission.objects.filter(
            group=editors, permission__codename="publish_page"
        ).exists()
        assert not GroupCollectionPermission.objects.filter(
            collection=Collection.get_first_root_node()
        ).exists()
        assert collection.get_parent() == Collection.get_first_root_node()

    def test_the_state_office_gets_the_coordinators_group_and_becomes_default_site(self, create):
        create("--hostname", "regional.example.de", "--name", "Regional")
        office = Office.objects.get(kind=OfficeKind.STATE)
        assert office.kind == OfficeKind.STATE
        assert office.site.is_default_site
        assert Site.objects.filter(is_default_site=True).count() == 1
        coordinators = Group.objects.get(name=COORDINATORS_GROUP)
        roots = set(
            GroupPagePermission.objects.filter(group=coordinators).values_list("page", flat=True)
        )
        assert roots == {p.pk for p in office.site.root_page.get_translations(inclusive=True)}
        regional_home = Site.objects.get(hostname="regional.example.de").root_page
        assert regional_home.pk not in roots

    @pytest.mark.parametrize(
        ("args", "message"),
        [
            (["--hostname=", "--name=X"], "Hostnamen"),
            (["--hostname=kein host", "--name=X"], "kein gültiger Hostname"),
            (["--hostname=-bad-.example.de", "--name=X"], "kein gültiger Hostname"),
            (["--hostname=localhost", "--name=X"], "kein gültiger Hostname"),
            (["--hostname=a.example.de:8000", "--name=X"], "kein gültiger Hostname"),
            (["--hostname=ümlaut.example.de", "--name=X"], "kein gültiger Hostname"),
            (["--hostname=ok.example.de", "--name=   "], "Namen"),
            (["--hostname=ok.example.de", "--name=X", "--port=0"], "Port"),
        ],
    )
    def test_bad_input_is_refused_with_a_clear_message_and_creates_nothing(
        self, create, args, message
    ):
        before = snapshot()
        with pytest.raises(CommandError) as error:
            create(*args)
        assert message in str(error.value)
        assert "Nichts angelegt" in str(error.value)
        assert snapshot() == before

    def test_a_duplicate_hostname_is_refused_and_creates_nothing(self, create):
        create("--hostname", "dup.example.de", "--name", "Erste")
        before = snapshot()
        with pytest.raises(CommandError, match="schon vergeben"):
            create("--hostname", "DUP.example.de", "--name", "Zweite")
        assert snapshot() == before

    def test_a_second_state_office_is_refused(self, create):
        assert Office.objects.filter(kind=OfficeKind.STATE).exists()
        before = snapshot()
        with pytest.raises(CommandError, match="Landeskoordination"):
            create("--hostname", "land2.example.de", "--name", "Land 2", "--state")
        assert snapshot() == before

    def test_a_failure_halfway_rolls_everything_back(self, create, monkeypatch):
        from sites import provisioning

        def explode(*args, **kwargs):
            raise RuntimeError("Festplatte voll")

        monkeypatch.setattr(provisioning, "_create_office_groups", explode)
        before = snapshot()
        with pytest.raises(RuntimeError):
            create("--hostname", "half.example.de", "--name", "Halb")
        assert snapshot() == before

    def test_the_command_exits_non_zero_as_the_shell_sees_it(self, create):
        # Django turns a CommandError into this exit status when run from the shell.
        # (Running it through ManagementUtility here would close the test's connection.)
        with pytest.raises(CommandError) as error:
            create("--hostname=x y", "--name=X")
        assert error.value.returncode == 1
