"""Colours of the answer options in group charts, and the readable ink for counts written on them."""

from __future__ import annotations

# Answer colours from "trifft nicht zu" (red) to "trifft voll zu" (green); greys never score.
# Each answer colour is 4.7:1+ against white and under its white count; white gaps separate the
# segments, the stack order is the scale's order and the legend names each one (not colour alone).
SEGMENT_GAP = {"width": 2, "color": "white"}
ANSWER_COLORS = {
    "1": "#b03a2e",
    "2": "#9a6200",
    "3": "#4f7f3a",
    "4": "#1e5f3a",
    "na": "#6b6b6b",
    "dk": "#4a4a4a",
}


def _luminance(color: str) -> float:
    """Relative luminance (WCAG 2) of a #rrggbb colour."""
    channels = [int(color[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def label_ink(fill: str) -> str:
    """Black or white text, whichever contrasts more with the segment colour it is written on."""
    lum = _luminance(fill)
    return "#000000" if (lum + 0.05) / 0.05 >= 1.05 / (lum + 0.05) else "#ffffff"
