"""The favicon of each office's site, served at ``/favicon.ico`` on every host.

Browsers and search engines ask for ``/favicon.ico`` whatever the page says, so a missing
one fills the logs with 404s and shows a blank tab. Each office gets its own: its logo
(scaled into a square, as an ICO), or, without a logo, its initial in white on its brand
colour. Built with Pillow once per site and chrome version and kept in the cache.
"""

import io

from PIL import Image, ImageDraw, ImageFont

from .chrome import cached_until_next_save

SIZES = [(16, 16), (32, 32), (48, 48)]
CANVAS = 96


def _from_logo(office):
    """The office logo fitted into a transparent square (None without a readable logo)."""
    logo = office.logo if office is not None else None
    if logo is None:
        return None
    try:
        with logo.open_file() as handle:
            image = Image.open(handle)
            image.load()
    except Exception:  # a missing or broken file must not take the site down
        return None
    image = image.convert("RGBA")
    image.thumbnail((CANVAS, CANVAS))
    square = Image.new("RGBA", (CANVAS, CANVAS), (255, 255, 255, 0))
    square.paste(image, ((CANVAS - image.width) // 2, (CANVAS - image.height) // 2), image)
    return square


def _initial(office):
    """The first letter of the office's short name, white on its brand colour."""
    from .models import DEFAULT_BRAND_COLOUR

    colour = getattr(office, "brand_colour", "") or DEFAULT_BRAND_COLOUR
    name = (office.display_short_name if office is not None else "") or "S"
    letter = next((c for c in str(name) if c.isalnum()), "S").upper()
    image = Image.new("RGBA", (CANVAS, CANVAS), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((0, 0, CANVAS - 1, CANVAS - 1), radius=CANVAS // 6, fill=colour)
    font = ImageFont.load_default(size=CANVAS * 2 // 3)
    draw.text((CANVAS / 2, CANVAS / 2), letter, fill="#ffffff", font=font, anchor="mm")
    return image


def render(office):
    """The ICO file of ``office`` (its logo, else its initial) as bytes."""
    image = _from_logo(office) or _initial(office)
    buffer = io.BytesIO()
    image.save(buffer, format="ICO", sizes=SIZES)
    return buffer.getvalue()


def for_site(site):
    """The ICO bytes of ``site``'s office (cached until the next editor save)."""
    from .chrome import office_for_site

    def build():
        office = office_for_site(site) if site is not None else None
        return render(office)

    return cached_until_next_save(f"favicon:{site.pk if site else 0}", build)
