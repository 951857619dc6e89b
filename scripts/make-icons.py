#!/usr/bin/env python3
"""Draws the PNG app icons in public/ from the geometry of public/icon.svg: a white heart on a
red rounded square. Standard library only; the build does not run it, the PNGs are committed.
Run it again after changing the icon:

    python3 scripts/make-icons.py

icon-<size>.png keeps the rounded corners (manifest purpose "any"); icon-maskable-<size>.png
fills the square edge to edge, as a maskable icon must (the launcher cuts its own shape; the
heart already lies inside the safe circle of 40 % radius).
"""

import math
import struct
import zlib
from pathlib import Path

PUBLIC = Path(__file__).resolve().parent.parent / "public"
VIEWBOX = 64  # icon.svg's viewBox is 0 0 64 64
CORNER = 14  # its rect's rx
RED = (0xC8, 0x32, 0x3B)  # --red in style/main.css
WHITE = (0xFF, 0xFF, 0xFF)
SUBROWS = 8  # vertical samples per pixel; horizontal coverage is exact


def cubic(p0, p1, p2, p3, steps=32):
    points = []
    for i in range(1, steps + 1):
        t = i / steps
        u = 1 - t
        points.append(
            tuple(
                u**3 * a + 3 * u * u * t * b + 3 * u * t * t * c + t**3 * d
                for a, b, c, d in zip(p0, p1, p2, p3)
            )
        )
    return points


def arc(start, end, r, large, sweep, steps=32):
    """An SVG circular arc (rx = ry = r, no rotation), by the SVG spec's centre conversion."""
    (x1, y1), (x2, y2) = start, end
    hx, hy = (x1 - x2) / 2, (y1 - y2) / 2
    root = math.sqrt(max(0.0, (r * r - hx * hx - hy * hy) / (hx * hx + hy * hy)))
    if large == sweep:
        root = -root
    cx, cy = root * hy + (x1 + x2) / 2, -root * hx + (y1 + y2) / 2
    a1 = math.atan2(y1 - cy, x1 - cx)
    delta = math.atan2(y2 - cy, x2 - cx) - a1
    if sweep and delta < 0:
        delta += 2 * math.pi
    if not sweep and delta > 0:
        delta -= 2 * math.pi
    return [
        (cx + r * math.cos(a1 + delta * i / steps), cy + r * math.sin(a1 + delta * i / steps))
        for i in range(1, steps + 1)
    ]


def heart():
    """M32 50s-16-9.6-16-21a9 9 0 0 1 16-5.6A9 9 0 0 1 48 29c0 11.4-16 21-16 21z"""
    points = [(32, 50)]
    points += cubic((32, 50), (32, 50), (16, 40.4), (16, 29))
    points += arc((16, 29), (32, 23.4), 9, 0, 1)
    points += arc((32, 23.4), (48, 29), 9, 0, 1)
    points += cubic((48, 29), (48, 40.4), (32, 50), (32, 50))
    return points


def rounded_square(radius, steps=16):
    if radius == 0:
        return [(0, 0), (VIEWBOX, 0), (VIEWBOX, VIEWBOX), (0, VIEWBOX)]
    points = []
    far = VIEWBOX - radius
    for cx, cy, start in ((far, radius, -90), (far, far, 0), (radius, far, 90), (radius, radius, 180)):
        for i in range(steps + 1):
            angle = math.radians(start + 90 * i / steps)
            points.append((cx + radius * math.cos(angle), cy + radius * math.sin(angle)))
    return points


def coverage(polygon, size):
    """Fraction of each pixel the polygon covers (even-odd), as rows of floats."""
    scale = size / VIEWBOX
    edges = [
        ((ax * scale, ay * scale), (bx * scale, by * scale))
        for (ax, ay), (bx, by) in zip(polygon, polygon[1:] + polygon[:1])
        if ay != by
    ]
    weight = 1 / SUBROWS
    rows = []
    for py in range(size):
        partial = [0.0] * (size + 1)
        full = [0.0] * (size + 1)  # difference array of whole-pixel runs
        for sub in range(SUBROWS):
            y = py + (sub + 0.5) / SUBROWS
            xs = sorted(
                ax + (y - ay) * (bx - ax) / (by - ay)
                for (ax, ay), (bx, by) in edges
                if min(ay, by) <= y < max(ay, by)
            )
            for left, right in zip(xs[::2], xs[1::2]):
                left, right = max(left, 0.0), min(right, float(size))
                first, last = int(left), int(right)
                if first == last:
                    partial[first] += (right - left) * weight
                    continue
                partial[first] += (first + 1 - left) * weight
                full[first + 1] += weight
                full[last] -= weight
                partial[last] += (right - last) * weight
        row, run = [], 0.0
        for x in range(size):
            run += full[x]
            row.append(min(1.0, run + partial[x]))
        rows.append(row)
    return rows


def png(size, rows):
    """An RGBA PNG; `rows` holds (r, g, b, a) tuples of 0..255."""
    raw = b"".join(b"\0" + bytes(channel for pixel in row for channel in pixel) for row in rows)

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def icon(size, corner):
    square = coverage(rounded_square(corner), size)
    shape = coverage(heart(), size)
    rows = []
    for square_row, heart_row in zip(square, shape):
        row = []
        for alpha, white in zip(square_row, heart_row):
            # The heart lies inside the square, so it only tints; the square sets opacity.
            colour = tuple(round(r + (w - r) * white) for r, w in zip(RED, WHITE))
            row.append(colour + (round(255 * alpha),))
        rows.append(row)
    return png(size, rows)


def main():
    for size in (192, 512):
        for name, corner in ((f"icon-{size}.png", CORNER), (f"icon-maskable-{size}.png", 0)):
            data = icon(size, corner)
            (PUBLIC / name).write_bytes(data)
            print(f"public/{name}: {len(data)} bytes")


if __name__ == "__main__":
    main()
