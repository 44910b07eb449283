"""The CJK font the figures draw Chinese with, shipped in this package (``fonts/``, SIL OFL 1.1).

Why ship it: most machines (and CI) have no CJK font, so Chinese labels would draw as empty boxes.
DejaVu Sans stays first for Latin text; matplotlib falls back to Noto Sans CJK SC per glyph.
"""

from __future__ import annotations

import functools
from pathlib import Path

FONT_FILE = Path(__file__).with_name("fonts") / "NotoSansSC-GB2312.otf"
FAMILY = "Noto Sans CJK SC"


@functools.lru_cache(maxsize=1)
def install() -> str:
    """Register the shipped font with matplotlib and put it after DejaVu Sans (idempotent)."""
    import logging

    import matplotlib as mpl
    from matplotlib import font_manager

    # The subset has one weight; bold CJK text is drawn regular. Say nothing about it on every figure.
    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)

    font_manager.fontManager.addfont(str(FONT_FILE))
    family = font_manager.FontProperties(fname=str(FONT_FILE)).get_name()
    sans = [f for f in mpl.rcParams["font.sans-serif"] if f != family]
    mpl.rcParams["font.sans-serif"] = ["DejaVu Sans", family, *[f for f in sans if f != "DejaVu Sans"]]
    mpl.rcParams["font.family"] = ["DejaVu Sans", family, "sans-serif"]
    return family
