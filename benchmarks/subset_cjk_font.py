"""Rebuild the CJK font shipped in ``model/ruralsim/presentation/fonts/`` (run by hand, not in CI).

Why a subset: the full Noto Sans CJK SC is 16 MB; the figures and reports only need simplified Chinese.
The subset keeps every character of GB 2312 (6,763 hanzi, the set every Chinese input method and
official document uses), ASCII, Latin-1, general punctuation, CJK punctuation and full-width forms
(about 3.3 MB). Source: Noto Sans CJK SC Regular (SIL Open Font License 1.1, which allows subsetting
and redistribution under the same licence; see OFL.txt beside the font).

    python benchmarks/subset_cjk_font.py /path/to/NotoSansCJKsc-Regular.otf
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset

OUT = Path(__file__).resolve().parents[1] / "model" / "ruralsim" / "presentation" / "fonts" / "NotoSansSC-GB2312.otf"


def gb2312_characters() -> set[int]:
    """Every character encodable in GB 2312 (rows 0xA1-0xF7, cells 0xA1-0xFE)."""
    chars = set()
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                chars.add(ord(bytes([hi, lo]).decode("gb2312")))
            except UnicodeDecodeError:
                pass
    return chars


def main(source: str) -> None:
    codes = gb2312_characters()
    codes |= set(range(0x20, 0x7F)) | set(range(0xA0, 0x100))          # ASCII, Latin-1
    codes |= set(range(0x2000, 0x2070)) | set(range(0x2190, 0x2200))   # punctuation, arrows
    codes |= set(range(0x2200, 0x2300))                                # maths (≤ ≥ ± −)
    codes |= set(range(0x3000, 0x3040)) | set(range(0xFF00, 0xFFF0))   # CJK punctuation, full-width forms
    options = subset.Options()
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.layout_features = ["*"]
    font = subset.load_font(source, options)
    sub = subset.Subsetter(options)
    sub.populate(unicodes=sorted(codes))
    sub.subset(font)
    subset.save_font(font, str(OUT), options)
    print(f"wrote {OUT} ({OUT.stat().st_size / 2**20:.1f} MiB, {len(codes)} code points requested)")


if __name__ == "__main__":
    main(sys.argv[1])
