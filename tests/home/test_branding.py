"""Each office brands its site; the admin refuses a brand colour that fails WCAG contrast."""

import pytest
from django.urls import reverse

from sites.models import Office, contrast_ratio, relative_luminance
from tests.home.conftest import management

pytestmark = pytest.mark.django_db


def profile_data(office, **extra):
    data = {
        "name": office.name,
        "short_name": office.short_name,
        # As the browser sends the form: the languages the office offers stay ticked.
        "languages": [code for code in office.languages if code != "de"],
        "organisation": office.organisation,
        "organisation_address": "",
        "representative": office.representative,
        "content_responsible": office.content_responsible,
        "register_entry": "",
        "supervisory_authority": "",
        "privacy_officer": "",
        "state": office.state,
        "region": "",
        "districts": "",
        "street": office.street,
        "postcode": office.postcode,
        "city": office.city,
        "phone": office.phone,
        "email": office.email,
        "directions": "",
        "accessibility_notes": "",
        "logo": "",
        "brand_colour": office.brand_colour,
        **management("opening_hours"),
        **management("consultation_hours"),
        **management("closures"),
        **management("rooms"),
    }
    data.update(extra)
    return data


def settings_url(office):
    return reverse("wagtailsettings:edit", args=["sites", "office", office.site.pk])


class TestContrast:
    def test_luminance_and_contrast_follow_wcag(self):
        assert relative_luminance("#ffffff") == pytest.approx(1.0)
        assert relative_luminance("#000000") == pytest.approx(0.0)
        assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
        # Known values: #767676 is the lightest grey that passes on white, #777777 fails.
        assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)
        assert contrast_ratio("#777777", "#ffffff") < 4.5

    def test_the_default_brand_colour_passes(self):
        assert contrast_ratio(Office._meta.get_field("brand_colour").default, "#ffffff") >= 4.5


class TestBrandColourInTheAdmin:
    @pytest.mark.parametrize("colour", ["#777777", "#ffcc00", "#3fa9f5"])
    def test_a_colour_too_light_for_white_text_is_refused_with_a_german_message(
        self, editor_a, offices, colour
    ):
        office = offices["alpha"]
        response = editor_a.post(settings_url(office), profile_data(office, brand_colour=colour))
        assert response.status_code == 200
        html = response.content.decode()
        assert "Der Kontrast dieser Farbe zu weißer Schrift beträgt nur" in html
        assert "4,5:1" in html
        office.refresh_from_db()
        assert office.brand_colour == "#0b5563"

    @pytest.mark.parametrize("colour", ["blau", "#12345", "#12345g", "javascript:x"])
    def test_a_colour_that_is_not_hex_is_refused(self, editor_a, offices, colour):
        office = offices["alpha"]
        response = editor_a.post(settings_url(office), profile_data(office, brand_colour=colour))
        assert response.status_code == 200
        assert "Format #RRGGBB" in response.content.decode()

    def test_a_dark_colour_is_saved_and_used_on_the_site(self, editor_a, offices):
        office = offices["alpha"]
        response = editor_a.post(settings_url(office), profile_data(office, brand_colour="#6a1b4d"))
        assert response.status_code == 302
        office.refresh_from_db()
        assert office.brand_colour == "#6a1b4d"
        html = editor_a.get("/").content.decode()
        assert "<style>:root { --brand: #6a1b4d; }</style>" in html

    def test_another_offices_editor_cannot_change_the_brand(self, editor_a, offices):
        beta = offices["beta"]
        response = editor_a.post(settings_url(beta), profile_data(beta, brand_colour="#000000"))
        assert response.status_code in (302, 403, 404)
        beta.refresh_from_db()
        assert beta.brand_colour == "#0b5563"

    def test_the_logo_is_shown_in_the_header(self, visitor, offices):
        from wagtail.images.models import Image
        from wagtail.images.tests.utils import get_test_image_file

        office = offices["alpha"]
        office.logo = Image.objects.create(title="Logo", file=get_test_image_file())
        office.save()
        html = visitor.get("/").content.decode()
        header = html.split("<header")[1].split("</header>")[0]
        assert 'class="site-logo"' in header
        assert 'alt=""' in header  # the office name follows as text
