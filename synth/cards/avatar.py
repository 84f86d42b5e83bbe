"""An illustrated avatar per persona: SVG from python-avatars, deterministic per persona id, no network.

A persona speaks for a segment of people, not for one person, and the data rarely says how they look.
So the picture is chosen to imply no demographics the data does not show:
- skin is one of a few non-naturalistic tints (lavender, mint, sky, lilac, lime...), so no tone reads as an ethnicity;
- the head is always covered by a plain beanie or brimmed hat (no ear flaps, which read as long hair): no hair style
  or length to read a gender or culture into,
  and no religious headwear;
- no facial hair, no make-up style choices, no costume clothing or shirt slogans;
- what varies (so two personas never look alike) is neutral: eyes, eyebrows, mouth, glasses, headwear,
  clothing cut and colour, background.
The choice comes from the persona id's hash: the same persona gets the same picture on every run.
"""

from __future__ import annotations

import base64
import hashlib

SKIN_TINTS = ("#C7B9E8", "#A9DCC8", "#A7CDEB", "#E3B9E8", "#B9C7E8", "#CDE8A9", "#A9E8E0", "#D6C9F5")
BACKGROUNDS = ("#F1EAFB", "#E6F6EF", "#E7F1FA", "#FBF4E6", "#FBE9EF", "#EDF0F7")


def _options():
    import python_avatars as pa

    return {
        # A plain beanie or a brimmed hat: the ear-flap hats read as long hair, the cat-ear one as a costume.
        "top": (pa.HatType.WINTER_HAT_3, pa.HatType.HAT),
        "eyes": (pa.EyeType.DEFAULT, pa.EyeType.HAPPY, pa.EyeType.SIDE, pa.EyeType.SQUINT, pa.EyeType.SURPRISED),
        "eyebrows": (pa.EyebrowType.DEFAULT_NATURAL, pa.EyebrowType.FLAT_NATURAL, pa.EyebrowType.RAISED_EXCITED_NATURAL,
                     pa.EyebrowType.UP_DOWN_NATURAL, pa.EyebrowType.SAD_CONCERNED_NATURAL),
        "mouth": (pa.MouthType.DEFAULT, pa.MouthType.SMILE, pa.MouthType.SERIOUS, pa.MouthType.TWINKLE,
                  pa.MouthType.CONCERNED),
        "accessory": (pa.AccessoryType.NONE, pa.AccessoryType.NONE, pa.AccessoryType.PRESCRIPTION_1,
                      pa.AccessoryType.PRESCRIPTION_2, pa.AccessoryType.ROUND, pa.AccessoryType.WAYFARERS),
        "clothing": (pa.ClothingType.HOODIE, pa.ClothingType.SHIRT_CREW_NECK, pa.ClothingType.COLLAR_SWEATER,
                     pa.ClothingType.BLAZER_SHIRT, pa.ClothingType.SHIRT_V_NECK, pa.ClothingType.OVERALL),
        "clothing_color": (pa.ClothingColor.BLUE_02, pa.ClothingColor.PASTEL_GREEN, pa.ClothingColor.PASTEL_ORANGE,
                           pa.ClothingColor.HEATHER, pa.ClothingColor.RED, pa.ClothingColor.GRAY_01,
                           pa.ClothingColor.PASTEL_YELLOW, pa.ClothingColor.BLUE_03),
        "hat_color": (pa.ClothingColor.BLUE_01, pa.ClothingColor.PINK, pa.ClothingColor.PASTEL_BLUE,
                      pa.ClothingColor.GRAY_02, pa.ClothingColor.PASTEL_GREEN, pa.ClothingColor.HEATHER),
        "skin_color": SKIN_TINTS,
        "background_color": BACKGROUNDS,
    }


def avatar_features(key: str) -> dict[str, str]:
    """The avatar's features for `key` (a persona id), by name: what `avatar_svg` draws."""
    digest = hashlib.sha256(key.encode("utf-8")).digest()
    chosen = {}
    for i, (name, choices) in enumerate(sorted(_options().items())):
        value = choices[digest[i] % len(choices)]
        chosen[name] = getattr(value, "value", value)
    return chosen


def avatar_svg(key: str, title: str = "") -> str:
    """An SVG avatar for `key` (a persona id): the same key always draws the same picture."""
    import xml.etree.ElementTree as ET

    import python_avatars as pa

    # python-avatars writes through ElementTree, whose prefix registry is process-wide: another library that
    # registered its own prefix for SVG would turn every tag into <ns0:svg>. Plain SVG tags, always.
    ET.register_namespace("", "http://www.w3.org/2000/svg")
    ET.register_namespace("xlink", "http://www.w3.org/1999/xlink")
    digest = hashlib.sha256(key.encode("utf-8")).digest()
    kwargs = {name: choices[digest[i] % len(choices)] for i, (name, choices) in enumerate(sorted(_options().items()))}
    kwargs["facial_hair"] = pa.FacialHairType.NONE
    kwargs["shirt_graphic"] = pa.ClothingGraphic.NONE
    svg = pa.Avatar(style=pa.AvatarStyle.CIRCLE, title=title or None, **kwargs).render()
    # An empty fill is "none" to a browser but black to other renderers (resvg, for PDF): say "none".
    return svg.replace('fill=""', 'fill="none"')


def avatar_data_uri(key: str, title: str = "") -> str:
    """The avatar as a data: URI for an <img>: each picture keeps its own SVG ids, however many share a page."""
    return "data:image/svg+xml;base64," + base64.b64encode(avatar_svg(key, title).encode("utf-8")).decode("ascii")
