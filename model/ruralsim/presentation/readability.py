"""Can a figure be read where the report shows it? Text size at the report's width, tick labels apart.

Why: a report shows each PNG at most :data:`REPORT_WIDTH_PX` CSS pixels wide (``templates/report.html.j2``:
a 1,100 px column less its padding), so a figure drawn 24 inches wide is shrunk to a third and its 9 pt
ticks read as 3 pt. A text's size as read is its size in points times the shrink; under
:data:`MIN_POINTS` it fails. Tick labels of one axis that overlap (dates run together, "2021202220…") fail
too. :func:`problems` lists both; :func:`ruralsim.presentation.run_plots.save_figure` runs it with the other
figure checks.
"""

from __future__ import annotations

from matplotlib.figure import Figure
from matplotlib.text import Text

REPORT_WIDTH_PX = 1068  # the report's column: max-width 1100px less 2 x 1em padding
MIN_POINTS = 8.0
CSS_DPI = 96  # CSS pixels per inch: 1 pt = 4/3 px
OVERLAP_PX = 1.0


def shown_points(size_points: float, fig: Figure, dpi: float, width_px: float = REPORT_WIDTH_PX) -> float:
    """A text's size in points as the report shows it: the PNG is ``fig width x dpi`` pixels, shown at
    most ``width_px`` CSS pixels wide (never enlarged)."""
    png_width = fig.get_figwidth() * dpi
    shrink = min(1.0, width_px / png_width)
    return size_points * (dpi / CSS_DPI) * shrink


def small_texts(fig: Figure, dpi: float, width_px: float = REPORT_WIDTH_PX) -> list[str]:
    out = []
    for t in fig.findobj(Text):
        if not (t.get_visible() and t.get_text().strip()):
            continue
        shown = shown_points(t.get_fontsize(), fig, dpi, width_px)
        if shown < MIN_POINTS - 1e-6:
            out.append(f"text {t.get_text()[:30]!r} reads as {shown:.1f} pt at the report's width "
                       f"(under {MIN_POINTS:g} pt)")
    return out


def overlapping_ticks(fig: Figure) -> list[str]:
    """Tick labels of one axis whose boxes overlap (after drawing)."""
    if not hasattr(fig.canvas, "get_renderer"):  # a bare Figure: draw it with Agg, as save_figure does
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        FigureCanvasAgg(fig)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    out = []
    for ax in fig.axes:
        if not ax.get_visible():
            continue
        for name, axis in (("x", ax.xaxis), ("y", ax.yaxis)):
            lo, hi = sorted(axis.get_view_interval())
            boxes = [(t.label1.get_text(), t.label1.get_window_extent(renderer)) for t in axis.get_major_ticks()
                     if lo <= t.get_loc() <= hi and t.label1.get_visible() and t.label1.get_text().strip()]
            for (a, ba), (b, bb) in zip(boxes, boxes[1:]):
                w = min(ba.x1, bb.x1) - max(ba.x0, bb.x0)
                h = min(ba.y1, bb.y1) - max(ba.y0, bb.y0)
                if w > OVERLAP_PX and h > OVERLAP_PX:
                    out.append(f"{name} tick labels {a!r} and {b!r} overlap in {ax.get_title()[:30]!r}")
                    break
    return out


def problems(fig: Figure, dpi: float, width_px: float = REPORT_WIDTH_PX) -> list[str]:
    return [*small_texts(fig, dpi, width_px), *overlapping_ticks(fig)]
