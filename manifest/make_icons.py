"""Draws the Teams app icons (color.png, outline.png); run `python -m manifest.make_icons` to redo them."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

from PIL import Image, ImageDraw

log = logging.getLogger(__name__)

TEAL = (0x0F, 0x6E, 0x6E)
WHITE = (255, 255, 255)
HERE = Path(__file__).resolve().parent

# Shapes are drawn this many times larger and scaled down, which gives smooth anti-aliased edges.
SUPERSAMPLE = 8

Point = tuple[float, float]


def _scale(points: Sequence[Point], size: int) -> list[Point]:
    """Turn points given on a 0..1 grid into pixel positions on the supersampled canvas."""
    big = size * SUPERSAMPLE
    return [(x * big, y * big) for x, y in points]


def _box(left: float, top: float, right: float, bottom: float, size: int) -> list[float]:
    """A 0..1 bounding box in supersampled pixels."""
    (x0, y0), (x1, y1) = _scale([(left, top), (right, bottom)], size)
    return [x0, y0, x1, y1]


def _polyline(
    draw: ImageDraw.ImageDraw, points: list[Point], width: float, fill: int | tuple[int, ...]
) -> None:
    """Draw a thick line with round joins and caps; Pillow's own joint="curve" leaves square ends."""
    w = round(width)
    draw.line(points, fill=fill, width=w, joint="curve")
    r = width / 2
    for x, y in (points[0], points[-1]):
        draw.ellipse([x - r, y - r, x + r, y + r], fill=fill)


# The design, on a 0..1 grid: a clipboard with a clip at the top and a check mark on the board.
CHECK = [(0.36, 0.56), (0.46, 0.66), (0.65, 0.44)]


def color_icon(size: int = 192) -> Image.Image:
    """Full-colour icon: a white clipboard with a teal tick on an opaque teal square (Teams rounds it)."""
    big = size * SUPERSAMPLE
    image = Image.new("RGB", (big, big), TEAL)
    draw = ImageDraw.Draw(image)
    # Teams asks for the symbol to sit inside the middle ~60 % of the colour icon.
    draw.rounded_rectangle(_box(0.27, 0.24, 0.73, 0.80, size), radius=0.06 * big, fill=WHITE)
    # The clip: a teal ring first so it reads as cut out of the board, then the white clip on top.
    draw.rounded_rectangle(_box(0.37, 0.175, 0.63, 0.31, size), radius=0.04 * big, fill=TEAL)
    draw.rounded_rectangle(_box(0.395, 0.20, 0.605, 0.285, size), radius=0.03 * big, fill=WHITE)
    _polyline(draw, _scale(CHECK, size), 0.06 * big, TEAL)
    return image.resize((size, size), Image.Resampling.LANCZOS)


def outline_icon(size: int = 32) -> Image.Image:
    """Outline icon: the same clipboard in white strokes on transparency, as Teams requires."""
    big = size * SUPERSAMPLE
    mask = Image.new("L", (big, big), 0)
    draw = ImageDraw.Draw(mask)
    stroke = round(0.075 * big)
    draw.rounded_rectangle(_box(0.16, 0.14, 0.84, 0.94, size), radius=0.12 * big, outline=255, width=stroke)
    # Clear a gap in the board's top edge, then draw the clip into it.
    draw.rectangle(_box(0.30, 0.10, 0.70, 0.22, size), fill=0)
    draw.rounded_rectangle(_box(0.33, 0.04, 0.67, 0.24, size), radius=0.06 * big, fill=255)
    _polyline(draw, _scale([(0.32, 0.56), (0.45, 0.69), (0.69, 0.43)], size), 0.09 * big, 255)
    alpha = mask.resize((size, size), Image.Resampling.LANCZOS)
    # Every pixel is white; only alpha varies, so anti-aliased edges never turn grey.
    image = Image.new("RGBA", (size, size), (*WHITE, 0))
    image.putalpha(alpha)
    return image


def main(out_dir: Path = HERE) -> None:
    """Write both icons next to this script, where the package data lives."""
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    for name, image in (("color.png", color_icon()), ("outline.png", outline_icon())):
        path = out_dir / name
        image.save(path, format="PNG", optimize=True)
        log.info("wrote %s (%dx%d %s)", path, image.width, image.height, image.mode)


if __name__ == "__main__":
    main()
