"""Share cards (generator/render/cards.py): a PNG a chat app shows, its QR code readable, the
same card the same bytes, and long titles cut with … rather than drawn off the card."""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest
from PIL import Image

from generator.render.cards import HEIGHT, WIDTH, Card, available, card_png, draw

pytestmark = pytest.mark.skipif(not available(), reason="fonts-noto-cjk is not installed (make test installs it)")

LEDGER = Card("2026年10月财务收支公开", "柳塘村 · 财务公开", "公示期 2026年11月5日 至 2026年11月20日，公示中，还剩 3 天",
              [("期初余额", "¥1,025,880.02"), ("本期收入合计", "¥75,885.52"), ("本期支出合计", "¥136,879.15"),
               ("期末余额", "¥964,886.39")], "", "https://cun.example.cn/liutang/2026/finance/2026-10/")


def test_a_card_is_a_small_png_the_same_each_time(tmp_path):
    png = draw(LEDGER)
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.size == (WIDTH, HEIGHT)
    assert len(png) < 40_000
    assert card_png(LEDGER) == png == draw(LEDGER)


@pytest.mark.skipif(shutil.which("zbarimg") is None, reason="zbar-tools is not installed")
def test_its_qr_code_reads_as_the_page_address(tmp_path):
    path = tmp_path / "card.png"
    path.write_bytes(draw(LEDGER))
    read = subprocess.run(["zbarimg", "--quiet", "--raw", str(path)], capture_output=True, text=True, check=True)
    assert read.stdout.strip() == LEDGER.address


def test_a_long_title_and_text_stay_on_the_card():
    card = Card("关于" * 60, "柳塘村 · 村务公开", "公开日期 2026年3月5日", [], "正文" * 300)
    image = Image.open(io.BytesIO(draw(card))).convert("L")
    # The bottom margin stays white (as the palette keeps it): nothing was drawn past the last line.
    darkest, lightest = image.crop((0, HEIGHT - 20, WIDTH, HEIGHT)).getextrema()
    assert darkest == lightest > 250
