"""The page in Chinese draws every glyph with no CJK font on the machine (issue 24): it serves the
package's own font, as the figures and the report embed it.

Chromium is started with fontconfig pointed at a folder holding one Latin font (DejaVu Sans, from
matplotlib; Chromium cannot start with none), so it sees no CJK font whatever the machine has. Each
Chinese character on the page (text and chart labels) is drawn on a canvas in the page's own font: real
glyphs all differ, while missing ones draw as the same empty box. The same drawing in the system's
``sans-serif`` shows the fonts really are hidden (there every character looks alike).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from app_driver import CHROMIUM, CHROMIUM_ARGS, answered_request, running_app

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs the system's headless Chromium")

GLYPHS = """async (family) => {
    await document.fonts.ready;
    const text = document.body.innerText + [...document.querySelectorAll('svg text')].map(t => t.textContent).join('');
    const chars = [...new Set([...text].filter(c => /[\\u4e00-\\u9fff]/.test(c)))];
    if (family !== 'sans-serif') await document.fonts.load(`24px ${family}`, chars.join(''));
    const canvas = document.createElement('canvas');
    canvas.width = 32; canvas.height = 32;
    const ctx = canvas.getContext('2d');
    const shapes = new Set();
    for (const c of chars) {
        ctx.clearRect(0, 0, 32, 32);
        ctx.font = `24px ${family}`;
        ctx.fillText(c, 2, 26);
        shapes.add(Array.from(ctx.getImageData(0, 0, 32, 32).data).join(','));
    }
    return {chars: chars.length, shapes: shapes.size, family: getComputedStyle(document.querySelector('h2')).fontFamily};
}"""


def test_chinese_page_draws_every_glyph_with_no_system_cjk_font(tmp_path):
    from playwright.sync_api import sync_playwright

    import matplotlib

    empty = tmp_path / "latin-only"
    empty.mkdir()
    shutil.copy(Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf", empty)
    conf = tmp_path / "fonts.conf"
    conf.write_text(f'<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig><dir>{empty}</dir>'
                    f"<cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>\n", encoding="utf-8")
    env = {**os.environ, "FONTCONFIG_FILE": str(conf), "FONTCONFIG_PATH": str(tmp_path)}
    home = tmp_path / "proj"
    home.mkdir()
    with running_app("--lang", "zh", "--households", "200", "--replicates", "2", cwd=home) as url:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, env=env)
            try:
                page = browser.new_page(viewport={"width": 1500, "height": 1300})
                page.goto(url)
                answered_request(page)
                own = page.evaluate(GLYPHS, '"ruralsim CJK"')
                system = page.evaluate(GLYPHS, "sans-serif")
            finally:
                browser.close()
    assert "ruralsim CJK" in own["family"]  # the page asks for the served font
    assert own["chars"] >= 40  # the page is in Chinese: headings, levers, table, chart titles
    assert own["shapes"] == own["chars"], own  # every character drew a glyph of its own
    assert system["shapes"] <= 2, system  # without it, all look alike: the machine has no CJK font


def test_the_page_serves_the_bundled_font(tmp_path):
    import urllib.request

    from ruralsim.presentation.fonts import FONT_FILE

    with running_app("--lang", "zh", "--households", "200", "--replicates", "2", cwd=tmp_path) as url:
        page = urllib.request.urlopen(url, timeout=30).read().decode("utf-8")
        assert "@font-face" in page and "/font/ruralsim-cjk.otf" in page
        font = urllib.request.urlopen(url + "font/ruralsim-cjk.otf", timeout=30).read()
    assert font == FONT_FILE.read_bytes()
