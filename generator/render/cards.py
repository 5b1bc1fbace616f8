"""Share cards (issue 19): a PNG for each record page, drawn at build time with Pillow and
Debian's Noto Sans CJK (fonts-noto-cjk), given as the page's og:image and linked as 保存图片.
Villagers pass pictures in their WeChat groups, not links: the card carries the title, the
village, the posting period and days left, the key figures and the page's QR code.

Each card is made once per machine (kept by the hash of what is on it, as QR codes are), since
drawing and compressing one costs more than rendering the page."""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

import segno
from PIL import Image, ImageDraw, ImageFont, __version__ as PILLOW

from generator.domain.kinds import Record
from generator.domain.model import Section, VillageYear
from generator.fs.files import write_atomic
from generator.fs.paths import TEMPLATE_CACHE
from generator.inputs.messages import Catalogue, cn_date

# Debian's fonts-noto-cjk; face 2 of the collection is Simplified Chinese.
FONTS = {"regular": Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
         "bold": Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc")}
_SC = 2
WIDTH, HEIGHT, MARGIN = 800, 450, 36
RED, INK, GREY = (155, 28, 28), (34, 34, 34), (90, 90, 90)


@dataclass(frozen=True)
class Card:
    title: str
    place: str  # village and section, e.g. 柳塘村 · 财务公开
    posting: str  # the posting period, and the days left on the day of the build
    figures: list[tuple[str, str]] = field(default_factory=list)  # (label, value), at most four shown
    summary: str = ""  # when there are no figures
    address: str = ""  # the page's permanent address, for the QR code ("" : none)


def available() -> bool:
    return all(path.is_file() for path in FONTS.values())


@lru_cache(maxsize=16)
def _font(weight: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONTS[weight]), size, index=_SC)


def _lines(draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont, width: int, most: int) -> list[str]:
    """`text` cut into lines of at most `width` pixels (Chinese breaks after any character), the
    last of `most` lines ending in … when the text goes on."""
    lines, line = [], ""
    for character in " ".join(text.split()):
        if draw.textlength(line + character, font=font) > width:
            lines.append(line)
            line = character.strip()
        else:
            line += character
    lines.append(line)
    if len(lines) > most:
        lines = lines[:most]
        while lines[-1] and draw.textlength(lines[-1] + "…", font=font) > width:
            lines[-1] = lines[-1][:-1]
        lines[-1] += "…"
    return lines


def draw(card: Card) -> bytes:
    image = Image.new("RGB", (WIDTH, HEIGHT), "white")
    pen = ImageDraw.Draw(image)
    pen.rectangle((0, 0, WIDTH, 64), fill=RED)
    pen.text((MARGIN, 32), card.place, font=_font("bold", 28), fill="white", anchor="lm")
    qr_size = 0
    if card.address:
        code = segno.make(card.address, error="m", mask=0)
        qr = io.BytesIO()
        code.save(qr, kind="png", scale=max(1, 150 // (code.symbol_size(scale=1, border=2)[0])), border=2)
        picture = Image.open(qr)
        qr_size = picture.size[0]
        image.paste(picture, (WIDTH - MARGIN - qr_size, HEIGHT - MARGIN - qr_size))
    text_width = WIDTH - 2 * MARGIN
    y = 84
    title = _font("bold", 38)
    for line in _lines(pen, card.title, title, text_width, 2):
        pen.text((MARGIN, y), line, font=title, fill=INK)
        y += 50
    regular = _font("regular", 26)
    for line in _lines(pen, card.posting, regular, text_width, 2):
        pen.text((MARGIN, y + 4), line, font=regular, fill=RED)
        y += 36
    y += 14
    beside = text_width - qr_size - 16
    figure = _font("bold", 28)
    if card.figures:
        for label, value in card.figures[:4]:
            pen.text((MARGIN, y), label, font=regular, fill=GREY)
            pen.text((MARGIN + beside, y), value, font=figure, fill=INK, anchor="ra")
            y += 40
    elif card.summary:
        for line in _lines(pen, card.summary, regular, beside, max(1, (HEIGHT - MARGIN - y) // 36)):
            pen.text((MARGIN, y), line, font=regular, fill=INK)
            y += 36
    out = io.BytesIO()
    # A palette of a few colours: a third of the bytes of RGB, drawn as fast.
    image.quantize(16, method=Image.Quantize.FASTOCTREE).save(out, format="PNG", compress_level=6)
    return out.getvalue()


def card_png(card: Card) -> bytes:
    """The card's PNG, made once per machine."""
    key = json.dumps([PILLOW, segno.__version__, asdict(card)], ensure_ascii=False, sort_keys=True)
    cached = Path(TEMPLATE_CACHE.directory) / "vp-cards" / f"{hashlib.sha256(key.encode()).hexdigest()}.png"
    try:
        return cached.read_bytes()
    except OSError:
        pass
    png = draw(card)
    try:
        write_atomic(cached, png)
    except OSError:
        pass  # not kept (a full or read-only temporary folder): drawn again next time
    return png


def record_card(village_year: VillageYear, section: Section, record: Record, catalogue: Catalogue) -> Card:
    """What a record's card says: for a ledger its four balances, for others their summary."""
    text, day = catalogue.text, (lambda value: cn_date(value, catalogue))
    if record.posted_until:
        posting = text("fields.posting_period") + " " + text("records.posting", start=day(record.date),
                                                              end=day(record.posted_until))
        if record.is_posted_on(village_year.today):
            left = (record.posted_until - village_year.today).days
            posting += "，" + (text("records.posted_now", days=left) if left > 0 else text("records.posted_last_day"))
    else:
        posting = text("fields.date") + " " + day(record.date)
    figures = []
    if all(hasattr(record, name) for name in ("opening_balance", "income", "expense", "closing_balance")):
        money = lambda amount: text("format.money", amount=f"{amount:,.2f}")  # noqa: E731
        figures = [(text("fields.opening_balance"), money(record.opening_balance)),
                   (text("records.finance.total_income"), money(record.income)),
                   (text("records.finance.total_expense"), money(record.expense)),
                   (text("fields.closing_balance"), money(record.closing_balance))]
    return Card(record.heading(catalogue), f"{village_year.settings.name} · {section.title}", posting, figures,
                "" if figures else record.summary(), village_year.permanent_url(record) or "")
