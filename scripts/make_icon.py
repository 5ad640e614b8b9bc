#!/usr/bin/env python3
"""Draw the integration's brand icon: a blue-teal tile, a white handset, a presence dot.

The artwork is original and entirely procedural, so it can be regenerated at will:

    .venv/bin/python scripts/make_icon.py

writes custom_components/xivo/brand/icon.png (256x256) and icon@2x.png (512x512),
both RGBA with a transparent background. Shapes are drawn four times larger than
the target and scaled down, which gives clean anti-aliased edges.
"""

from __future__ import annotations

import math
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw

BRAND_DIR = (
    Path(__file__).resolve().parent.parent / "custom_components" / "xivo" / "brand"
)
SUPERSAMPLE = 4

# Geometry on a 256-unit grid, scaled to the requested size.
TILE_MARGIN = 8
TILE_RADIUS = 56
HANDSET_ANGLE = 135  # degrees, counter-clockwise tilt of the handset
HANDSET_SHIFT = (-8, 8)  # nudge after centring
HANDLE_RADIUS = 80
HANDLE_WIDTH = 30
HANDLE_SWEEP = 44  # degrees either side of the top of the ring
CUP_THICKNESS = 52  # across the handle
CUP_INSET = 11  # cups bulge inwards: their ring is this much smaller than the handle's
CUP_BACK = 14  # degrees a cup runs back along the handle
CUP_REACH = 10  # degrees a cup runs past the handle's end
DOT_CENTER = (190, 66)
DOT_RADIUS = 24
DOT_OUTLINE = 5  # white ring around the dot
DOT_CLEARANCE = 10  # free space kept around the ring

# Colours: a deep blue at the top left blending into teal at the bottom right.
TOP_LEFT = (17, 94, 168)
BOTTOM_RIGHT = (20, 170, 160)
WHITE = (255, 255, 255, 255)
PRESENCE = (76, 217, 100, 255)


def _gradient(size: int) -> Image.Image:
    """Return a diagonal gradient from TOP_LEFT to BOTTOM_RIGHT."""
    # A 2x2 image stretched with bilinear filtering is a smooth diagonal blend.
    middle = tuple((a + b) // 2 for a, b in zip(TOP_LEFT, BOTTOM_RIGHT, strict=True))
    seed = Image.new("RGB", (2, 2))
    seed.putdata([TOP_LEFT, middle, middle, BOTTOM_RIGHT])
    return seed.resize((size, size), Image.Resampling.BILINEAR).convert("RGBA")


def _handset_mask(size: int, scale: float) -> Image.Image:
    """Return an L mask of the handset, centred in the tile."""
    mask = Image.new("L", (size, size), 0)
    draw = ImageDraw.Draw(mask)
    # Drawn level first, then tilted: the handle is the top of a thick ring, and a
    # cup at each end bulges towards the ring's centre, the way a receiver's ear
    # and mouth pieces face the caller's head.
    centre_x = centre_y = size / 2
    ring = HANDLE_RADIUS * scale
    handle = HANDLE_WIDTH * scale
    reach = ring + handle / 2
    draw.arc(
        [centre_x - reach, centre_y - reach, centre_x + reach, centre_y + reach],
        270 - HANDLE_SWEEP,
        270 + HANDLE_SWEEP,
        fill=255,
        width=round(handle),
    )
    # Each cup is a thicker stretch of a smaller concentric ring, with round ends.
    cup_ring = (HANDLE_RADIUS - CUP_INSET) * scale
    cup_reach = cup_ring + CUP_THICKNESS * scale / 2
    cap = CUP_THICKNESS * scale / 2
    for first, last in (
        (270 - HANDLE_SWEEP - CUP_REACH, 270 - HANDLE_SWEEP + CUP_BACK),
        (270 + HANDLE_SWEEP - CUP_BACK, 270 + HANDLE_SWEEP + CUP_REACH),
    ):
        draw.arc(
            [
                centre_x - cup_reach,
                centre_y - cup_reach,
                centre_x + cup_reach,
                centre_y + cup_reach,
            ],
            first,
            last,
            fill=255,
            width=round(CUP_THICKNESS * scale),
        )
        for angle in (math.radians(first), math.radians(last)):
            x = centre_x + cup_ring * math.cos(angle)
            y = centre_y + cup_ring * math.sin(angle)
            draw.ellipse([x - cap, y - cap, x + cap, y + cap], fill=255)

    mask = mask.rotate(HANDSET_ANGLE, resample=Image.Resampling.BICUBIC)
    # Centre the drawing's bounding box, then nudge it as asked.
    left, top, right, bottom = mask.getbbox() or (0, 0, size, size)
    offset = (
        round((size - left - right) / 2 + HANDSET_SHIFT[0] * scale),
        round((size - top - bottom) / 2 + HANDSET_SHIFT[1] * scale),
    )
    return ImageChops.offset(mask, *offset)


def render(size: int) -> Image.Image:
    """Return the icon as a size x size RGBA image."""
    big = size * SUPERSAMPLE
    scale = big / 256

    tile_mask = Image.new("L", (big, big), 0)
    ImageDraw.Draw(tile_mask).rounded_rectangle(
        [
            TILE_MARGIN * scale,
            TILE_MARGIN * scale,
            big - TILE_MARGIN * scale,
            big - TILE_MARGIN * scale,
        ],
        radius=TILE_RADIUS * scale,
        fill=255,
    )
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    image.paste(_gradient(big), (0, 0), tile_mask)

    handset = _handset_mask(big, scale)
    dot_x, dot_y = DOT_CENTER[0] * scale, DOT_CENTER[1] * scale

    def disc(radius: float) -> list[float]:
        return [dot_x - radius, dot_y - radius, dot_x + radius, dot_y + radius]

    # Keep the handset clear of the presence dot, then draw both.
    keep_out = Image.new("L", (big, big), 0)
    ImageDraw.Draw(keep_out).ellipse(
        disc((DOT_RADIUS + DOT_OUTLINE + DOT_CLEARANCE) * scale), fill=255
    )
    handset = ImageChops.subtract(handset, keep_out)
    image.paste(Image.new("RGBA", (big, big), WHITE), (0, 0), handset)
    draw = ImageDraw.Draw(image)
    draw.ellipse(disc((DOT_RADIUS + DOT_OUTLINE) * scale), fill=WHITE)
    draw.ellipse(disc(DOT_RADIUS * scale), fill=PRESENCE)

    return image.resize((size, size), Image.Resampling.LANCZOS)


def main() -> None:
    """Write icon.png and icon@2x.png into the integration's brand folder."""
    BRAND_DIR.mkdir(parents=True, exist_ok=True)
    for name, size in (("icon.png", 256), ("icon@2x.png", 512)):
        path = BRAND_DIR / name
        render(size).save(path, optimize=True)
        print(
            f"wrote {path.relative_to(BRAND_DIR.parent.parent.parent)} ({size}x{size})"
        )


if __name__ == "__main__":
    main()
