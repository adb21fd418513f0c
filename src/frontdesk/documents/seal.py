"""A demonstration office seal (演示公章) for the demo community and tests.

A red ring, a five-pointed star, the office's name along the upper arc and 演示专用
straight below the star, so a printout with it is never taken for a sealed original.
"""

from __future__ import annotations

import io
import math
from typing import Any

from PIL import Image, ImageDraw, ImageFont

from frontdesk.documents.base import FONT_FILE
from frontdesk.paths import resource

RED = (214, 30, 30, 235)  # slightly transparent, as stamp ink lets the paper through
ARC_DEGREES = 250.0  # the name runs from about eight o'clock to four o'clock
MARK = "演示专用"


def demo_seal_png(name: str, size_px: int = 600) -> bytes:
    """The seal as a square PNG with a transparent background."""
    image = Image.new("RGBA", (size_px, size_px), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    centre = size_px / 2
    # Pillow draws the ring inwards from the box: the seal fills the picture.
    draw.ellipse((0, 0, size_px - 1, size_px - 1), outline=RED, width=round(size_px * 0.035))
    draw.polygon(_star(centre, centre, size_px * 0.15), fill=RED)
    _write_mark(draw, size_px)
    _write_arc(image, name.strip(), size_px)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _font(size: float) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(resource(*FONT_FILE)), round(size), index=0)


def _ink(size: float) -> dict[str, Any]:
    """Text in seal red, thickened: a seal's characters are heavier than the font's."""
    return {"fill": RED, "stroke_width": max(1, round(size * 0.03)), "stroke_fill": RED}


def _star(x: float, y: float, radius: float) -> list[tuple[float, float]]:
    """The ten corners of a five-pointed star pointing up, centred on (x, y)."""
    inner = radius * 0.382  # the regular star's inner radius
    corners = []
    for index in range(10):
        angle = math.radians(-90 + index * 36)
        reach = radius if index % 2 == 0 else inner
        corners.append((x + reach * math.cos(angle), y + reach * math.sin(angle)))
    return corners


def _write_mark(draw: ImageDraw.ImageDraw, size_px: int) -> None:
    size = size_px * 0.075
    draw.text((size_px / 2, size_px * 0.71), MARK, font=_font(size), anchor="mm", **_ink(size))


def _write_arc(image: Image.Image, name: str, size_px: int) -> None:
    """Each character upright to the ring, spread evenly over the upper arc; a short
    name keeps its natural spacing, centred at the top."""
    if not name:
        return
    radius = size_px * 0.355  # the characters' centres
    span = math.radians(ARC_DEGREES)
    char_px = min(size_px * 0.13, radius * span / len(name) * 0.92)
    step = min(span / len(name), char_px * 1.25 / radius)
    font = _font(char_px)
    cell = round(char_px * 1.5)
    centre = size_px / 2
    first = -math.pi / 2 - step * (len(name) - 1) / 2  # clockwise from the left
    for index, char in enumerate(name):
        angle = first + index * step
        glyph = Image.new("RGBA", (cell, cell), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text(
            (cell / 2, cell / 2), char, font=font, anchor="mm", **_ink(char_px)
        )
        # The glyph's top points away from the centre: turn it by the angle past 12 o'clock.
        turned = glyph.rotate(-math.degrees(angle + math.pi / 2), resample=Image.Resampling.BICUBIC)
        x = centre + radius * math.cos(angle) - cell / 2
        y = centre + radius * math.sin(angle) - cell / 2
        image.alpha_composite(turned, (round(x), round(y)))
