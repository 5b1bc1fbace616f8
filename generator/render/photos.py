"""A record's photos and scans as files of its page's folder (issue 24).

A photo is published as a few widths (never wider than it was taken), each as WebP and as JPEG
for the phones that cannot show WebP (`<picture>` with `srcset`: a phone loads the smallest that
fills its screen); turned upright by its EXIF orientation, and with nothing of the camera's left
in it: no EXIF (the GPS position first), no XMP, no colour profile (the picture is converted to
sRGB first). The same picture gives the same bytes on every build: a published year's snapshot
does not change when it is built again.

    plan = plan_photo("photo-1", width, height)   # names and sizes, without decoding (the print page)
    shown = publish_photo(data, folder, plan)     # the files written into the page's folder

`data` is the image's bytes, whatever they came from: a record's `photos:` (a file of its
folder, inputs/attachments.py), or an image inside a Word notice, which the notice's reader hands
over as bytes with a caption and a `Photo` of its own (kinds/media.py). Encoding is the costly
part of a record's page: like the share cards (render/cards.py), each file is kept once per
machine by the hash of its source and of what is asked of it, and record pages are rendered in
the build's worker processes."""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageCms, ImageOps, __version__ as PILLOW

from generator.domain.kinds import Record
from generator.fs.files import write_atomic
from generator.fs.paths import TEMPLATE_CACHE
from generator.inputs.attachments import Attachment, open_image
from generator.inputs.word import WordImage

# Widths published (CSS pixels × the phone's density): 360 fills half a 390 px phone at 2×, or
# a whole one at 1×; 1200 is enough for the board's small print to be read when opened large.
WIDTHS = (360, 720, 1200)
FORMATS = {"webp": ("WEBP", {"quality": 70, "method": 4}),
           "jpg": ("JPEG", {"quality": 75, "optimize": True, "progressive": True})}
# What the browser is told of the photo's width on the page, to pick from srcset: two to a row
# on a phone, a third of the text column on a wide screen (village-portal.css, .vp-photos).
SIZES = "(max-width: 44em) 45vw, 15em"


@dataclass(frozen=True)
class PhotoPlan:
    """A photo's published files, known from its size alone."""

    stem: str  # photo-1: its files are photo-1-360.webp, photo-1-360.jpg …
    width: int  # upright, as taken
    height: int

    @property
    def widths(self) -> tuple[int, ...]:
        """The widths published: those of WIDTHS narrower than the photo, and the photo's own
        width where it is narrower than the largest (never enlarged)."""
        return tuple(sorted({min(width, self.width) for width in WIDTHS}))

    def height_at(self, width: int) -> int:
        return max(1, round(self.height * width / self.width))

    def file(self, width: int, suffix: str) -> str:
        return f"{self.stem}-{width}.{suffix}"

    @property
    def sizes(self) -> str:
        return SIZES

    def srcset(self, suffix: str, base: str = "") -> str:
        return ", ".join(f"{base}{self.file(width, suffix)} {width}w" for width in self.widths)


@dataclass(frozen=True)
class ShownPhoto:
    """What the page's template shows of a photo: `<picture>`, its caption, who looked at it."""

    plan: PhotoPlan
    caption: str
    checked_by: str


@dataclass(frozen=True)
class ShownScan:
    """A scanned paper as an attachment of the page: its copy, caption, size and pages."""

    file: str  # scan-1.pdf
    caption: str
    checked_by: str
    size: int  # bytes
    pages: int

    @property
    def size_in(self) -> tuple[str, str]:
        """Its size as the page words it (records.photos.scan_about_<unit>): (unit, figure), in
        MB with one decimal from 1 MB, else in KB."""
        if self.size >= 1024 * 1024:
            return "mb", f"{self.size / 1024 / 1024:.1f}"
        return "kb", str(max(1, round(self.size / 1024)))


def plan_photo(stem: str, width: int, height: int) -> PhotoPlan:
    return PhotoPlan(stem, width, height)


def publish_photo(data: bytes, folder: Path, plan: PhotoPlan) -> None:
    """Write the photo's files (`plan`) into `folder`: every width, WebP and JPEG, upright, in
    sRGB, without metadata. `data` is the image's bytes, already read and checked as an input
    (inputs/attachments.py, or a Word notice's reader), so a bomb or a broken file never gets
    here."""
    folder.mkdir(parents=True, exist_ok=True)
    source = hashlib.sha256(data).hexdigest()
    cache = Path(TEMPLATE_CACHE.directory) / "vp-photos"
    image = None
    for width in plan.widths:
        for suffix, (format, options) in FORMATS.items():
            key = json.dumps([PILLOW, source, width, format, options], sort_keys=True)
            kept = cache / f"{hashlib.sha256(key.encode()).hexdigest()}.{suffix}"
            try:
                encoded = kept.read_bytes()
            except OSError:
                if image is None:
                    image = _upright_srgb(data, max(plan.widths))
                encoded = _encode(image, width, plan.height_at(width), format, options)
                try:
                    write_atomic(kept, encoded)
                except OSError:
                    pass  # not kept (a full or read-only temporary folder): encoded again next time
            (folder / plan.file(width, suffix)).write_bytes(encoded)


def _upright_srgb(data: bytes, widest: int) -> Image.Image:
    image = open_image(data)
    # A JPEG decoded straight at a fraction of its size when it is much larger than needed.
    image.draft("RGB", (widest, widest))
    upright = ImageOps.exif_transpose(image)
    profile = image.info.get("icc_profile")
    if profile:
        try:  # a phone's Display P3 photo, shown as taken on screens that assume sRGB
            upright = ImageCms.profileToProfile(upright.convert("RGB"), ImageCms.ImageCmsProfile(io.BytesIO(profile)),
                                                ImageCms.createProfile("sRGB"), outputMode="RGB")
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # a profile that cannot be read: the colours as they are
    if upright.mode in ("RGBA", "LA", "PA") or (upright.mode == "P" and "transparency" in upright.info):
        white = Image.new("RGB", upright.size, "white")
        white.paste(upright.convert("RGBA"), mask=upright.convert("RGBA").getchannel("A"))
        upright = white
    return upright.convert("RGB")


def _encode(image: Image.Image, width: int, height: int, format: str, options: dict) -> bytes:
    resized = image.resize((width, height), Image.Resampling.LANCZOS) if image.size != (width, height) else image.copy()
    resized.info = {}  # Pillow would write a source's XMP, EXIF or profile kept in `info` into the file
    out = io.BytesIO()
    resized.save(out, format=format, **options)
    return out.getvalue()


def record_media(record: Record) -> tuple[list[ShownPhoto], list[ShownScan]]:
    """A record's photos and scans as its page shows them (no file read)."""
    attachments = {attachment.name: attachment for attachment in record.source.attachments}
    photos = [ShownPhoto(plan_photo(f"photo-{index}", attachments[photo.file].width, attachments[photo.file].height),
                         photo.caption, photo.checked_by)
              for index, photo in enumerate(record.photos, 1)]
    # The pictures of a body written in Word (inputs/word.py), after the folder's photos.
    photos += [ShownPhoto(plan_photo(f"photo-{index}", image.width, image.height), image.alt,
                          record.word_images_checked_by)
               for index, image in enumerate(_word_images(record), len(photos) + 1)]
    scans = [ShownScan(f"scan-{index}.pdf", scan.caption, scan.checked_by, attachments[scan.file].size,
                       attachments[scan.file].pages)
             for index, scan in enumerate(record.scans, 1)]
    return photos, scans


def publish_media(record: Record, folder: Path) -> None:
    """Write a record's photos and scans into its page's folder (`folder`)."""
    attachments: dict[str, Attachment] = {attachment.name: attachment for attachment in record.source.attachments}
    photos, scans = record_media(record)
    if scans:
        folder.mkdir(parents=True, exist_ok=True)
    for photo, shown in zip(record.photos, photos):
        publish_photo(Path(attachments[photo.file].path).read_bytes(), folder, shown.plan)
    for image, shown in zip(_word_images(record), photos[len(record.photos):]):
        publish_photo(image.data, folder, shown.plan)
    for scan, shown in zip(record.scans, scans):
        (folder / shown.file).write_bytes(Path(attachments[scan.file].path).read_bytes())


def _word_images(record: Record) -> list[WordImage]:
    return record.word.images if record.word is not None else []
