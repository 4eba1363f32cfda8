"""An organization's colour on its booking and manage pages: the background of their
buttons, of the chosen day and time, and of the organization's name, with black or
white text on it, whichever contrasts more (WCAG 2's relative luminance).

The colour is only ever a background under text chosen this way, never text on white:
the better of black and white has a contrast of at least 4.58:1 on any colour, above
WCAG AA's 4.5:1, so whatever colour an organization picks its pages stay readable.
"""

from __future__ import annotations

from dataclasses import dataclass

from rota.service.orgs import COLOUR

BLACK = "#000000"
WHITE = "#ffffff"


def relative_luminance(colour: str) -> float:
    """WCAG 2's relative luminance of ``#rrggbb``: 0 for black, 1 for white."""

    def linear(channel: str) -> float:
        c = int(channel, 16) / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(colour[i : i + 2]) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(first: str, second: str) -> float:
    """WCAG 2's contrast ratio of two colours, from 1 (the same) to 21 (black on white)."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)))[::-1]
    return (lighter + 0.05) / (darker + 0.05)


@dataclass(frozen=True, slots=True)
class Brand:
    colour: str
    """``#rrggbb``, as `rota.service.orgs.brand_colour` stores it."""

    @property
    def text(self) -> str:
        """Black or white, whichever reads better on the colour."""
        return BLACK if contrast(self.colour, BLACK) > contrast(self.colour, WHITE) else WHITE

    @property
    def style(self) -> str:
        """The custom properties rota.css's ``.branded`` rules use."""
        return f"--brand: {self.colour}; --on-brand: {self.text}"


def brand_of(colour: str | None) -> Brand | None:
    """The organization's brand, or None (rota's own look) without a colour, or with
    one that is not ``#rrggbb`` (written to the database by other means)."""
    if colour is None or not COLOUR.fullmatch(colour):
        return None
    return Brand(colour.lower())
