"""Draw the application icon (resources/icons/frontdesk.png and .ico) with Pillow.

Run once when the design changes; the outputs are committed so builds need no
drawing step: `.venv/bin/python tools/make_icon.py`.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
ICONS = ROOT / "resources" / "icons"
FONT = ROOT / "resources" / "fonts" / "wqy-microhei.ttc"
NAVY = (36, 54, 75)  # the navigation bar's colour
LIGHT = (232, 238, 245)
ACCENT = (61, 106, 153)
SIZE = 512


def draw() -> Image.Image:
    image = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    pen.rounded_rectangle((16, 16, SIZE - 16, SIZE - 16), radius=96, fill=NAVY)
    # A roof over the counter: the community's service centre.
    pen.polygon([(96, 230), (256, 96), (416, 230)], fill=ACCENT)
    pen.rectangle((136, 222, 376, 246), fill=ACCENT)
    font = ImageFont.truetype(str(FONT), 170)
    pen.text((SIZE / 2, 352), "前台", font=font, fill=LIGHT, anchor="mm")
    return image


def main() -> None:
    ICONS.mkdir(parents=True, exist_ok=True)
    image = draw()
    image.resize((256, 256), Image.Resampling.LANCZOS).save(ICONS / "frontdesk.png")
    sizes = [(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)]
    image.save(ICONS / "frontdesk.ico", sizes=sizes)


if __name__ == "__main__":
    main()
