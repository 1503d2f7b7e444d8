"""Pictures for the demo: a logo for each partner, a few item pictures and the edition's masthead.

They are drawn here with Pillow, in the portal's colours, so that `partnerpost demo load` shows what readers see
with pictures, without shipping anyone's real logo or photograph: each "logo" is the acronym on a coloured
badge, and each picture is an abstract pattern described as such. What has a picture already keeps it, so
loading twice changes nothing.
"""

from __future__ import annotations

import io
import math
import random
from pathlib import Path

from django.core.files.base import ContentFile

FONT = Path(__file__).resolve().parent / "static" / "editions" / "fonts" / "NotoSans-Bold.ttf"

#: Badge colours, by partner acronym; others take the portal's blue.
COLOURS = {
    "UN DESA": (0, 158, 219), "UNPOG": (11, 79, 138), "ICAP": (0, 122, 94), "EROPA": (158, 42, 43),
    "NISPAcee": (91, 63, 160), "ReSPA": (196, 96, 0), "KIPA": (8, 58, 102), "NIA": (33, 119, 178),
}

#: Item title -> (seed, description) of its abstract picture.
ITEM_PICTURES = {
    "XLVI ICAP graduation ceremony": (3, "Abstract pattern of green and gold circles (demo picture)"),
    "EROPA Bulletin Volume 41": (7, "Abstract pattern of red and blue circles (demo picture)"),
    "Forum on Sustainable Smart Cities": (11, "Abstract pattern of blue circles like a city at night (demo picture)"),
}

MASTHEAD_ALT = "Decorative banner of overlapping circles in the network's blues (demo picture)"


def _png(image) -> ContentFile:
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return ContentFile(buffer.getvalue())


def logo(acronym: str):
    from PIL import Image, ImageDraw, ImageFont

    colour = COLOURS.get(acronym, (11, 79, 138))
    font = ImageFont.truetype(str(FONT), 52)
    width = max(240, int(font.getlength(acronym)) + 72)
    image = Image.new("RGB", (width, 96), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((2, 2, width - 3, 93), radius=18, fill=colour)
    draw.text((width / 2, 48), acronym, font=font, fill=(255, 255, 255), anchor="mm")
    return image


def pattern(seed: int, size: tuple[int, int], palette: list[tuple[int, int, int]]):
    from PIL import Image, ImageDraw

    rng = random.Random(seed)
    width, height = size
    image = Image.new("RGB", size, palette[0])
    draw = ImageDraw.Draw(image, "RGBA")
    for row in range(height):  # a soft vertical gradient from the first colour to the second
        t = row / max(1, height - 1)
        draw.line([(0, row), (width, row)], fill=tuple(round(a + (b - a) * t) for a, b in zip(palette[0], palette[1])))
    for _ in range(60):
        radius = rng.randint(height // 12, height // 3)
        x, y = rng.randint(-radius, width + radius), rng.randint(-radius, height + radius)
        colour = rng.choice(palette[2:])
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=(*colour, rng.randint(40, 110)))
    angle = rng.random() * math.pi
    for step in range(0, width + height, 48):  # fine diagonal lines for texture
        dx = math.cos(angle) * (width + height)
        draw.line([(step, 0), (step - dx, height)], fill=(255, 255, 255, 18), width=2)
    return image


def load(log=print) -> None:
    """Logos for partners without one, pictures for a few demo items, before the demo edition is composed."""
    from partnerpost.content.models import Item
    from partnerpost.network.models import Partner

    drawn = 0
    for partner in Partner.objects.filter(acronym__in=COLOURS, logo=""):
        partner.logo.save(f"{partner.slug}.png", _png(logo(partner.acronym)), save=True)
        drawn += 1
    palettes = [[(8, 58, 102), (11, 79, 138), (0, 122, 94), (230, 180, 60), (255, 255, 255)],
                [(60, 20, 30), (158, 42, 43), (11, 79, 138), (240, 200, 120), (255, 255, 255)],
                [(5, 20, 45), (8, 58, 102), (140, 196, 255), (255, 220, 120), (0, 158, 219)]]
    for index, (title, (seed, alt)) in enumerate(ITEM_PICTURES.items()):
        item = Item.objects.filter(title=title, image="").first()
        if item is None:
            continue
        item.image.save("picture.png", _png(pattern(seed, (1200, 675), palettes[index % len(palettes)])), save=False)
        item.image_alt = alt
        item.save(update_fields=["image", "image_alt"])
        drawn += 1
    if drawn:
        log(f"Demo pictures: {drawn} drawn (partner badges and abstract item pictures, not real logos or photographs).")


def masthead():
    """The demo edition's masthead picture and its description."""
    return _png(pattern(21, (1200, 300), [(8, 58, 102), (11, 79, 138), (0, 158, 219), (140, 196, 255), (207, 224, 241)])), MASTHEAD_ALT
