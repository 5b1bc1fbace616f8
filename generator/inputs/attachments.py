"""A record's photos and scans (issue 24): the files in its own folder beside its YAML,

    content/<village>/<year>/<section>/<record-id>.yml
    content/<village>/<year>/<section>/<record-id>/公示栏.jpg, 会议记录.pdf …

read as hostile input: a regular file inside content/ (no link out), within a size limit, an
image Pillow can decode whole within a pixel limit (a decompression bomb is refused before it is
decoded), a PDF poppler's pdfinfo can count the pages of. What is read here is only what the
pages need to know before the render stage publishes the files (render/photos.py): an image's
upright size, a PDF's pages and bytes. Which record field names which file is the domain's
business (kinds/base.py)."""

from __future__ import annotations

import io
import os
import re
import subprocess
import warnings
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from generator.inputs.files import read_bytes
from generator.inputs.problems import Location, Problems

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")
SCAN_SUFFIXES = (".pdf",)
MEDIA_SUFFIXES = IMAGE_SUFFIXES + SCAN_SUFFIXES
# What Windows and macOS leave in a folder of pictures by themselves: not the clerk's, not read.
LEFT_BY_THE_SYSTEM = frozenset({"thumbs.db", "desktop.ini", "ehthumbs.db"})
# A phone's photo is 12-50 million pixels; a picture that claims more is refused unread, as one
# a few KB long can claim billions (a decompression bomb).
MAX_PIXELS = 60_000_000
MAX_BYTES = 40 * 1024 * 1024  # a photo or a scanned PDF, as stored
_FORMATS = {"JPEG", "PNG", "WEBP", "MPO"}  # MPO: a phone's JPEG with a second picture after the first
_ROTATED = {5, 6, 7, 8}  # EXIF orientations that swap width and height
_PAGES = re.compile(rb"^Pages:\s+(\d+)\s*$", re.MULTILINE)
# What pdfinfo says of a PDF that is more than pages: script, a form (AcroForm or XFA), a password.
_ACTIVE = re.compile(rb"^(?:JavaScript:\s+yes|Form:\s+(?!none)\S+|Encrypted:\s+yes)", re.MULTILINE)
# pdfinfo does not see a script run by an action (/OpenAction, /AA): the PDF's own names for
# active content, read as written (#4A is J in a name). Names inside a compressed object stream
# are seen by pdfinfo's own test only.
_ACTIVE_NAMES = re.compile(rb"/(?:JavaScript|JS|Launch|EmbeddedFile|RichMedia|XFA|SubmitForm|ImportData)(?![A-Za-z])")
_HEX_IN_NAME = re.compile(rb"#([0-9A-Fa-f]{2})")


@dataclass(frozen=True)
class Attachment:
    """One file of a record's folder, as the pages need to know it."""

    name: str  # its name in the record's folder, as the clerk's `file:` gives it
    path: str  # where it was read (the real path, inside content/)
    location: Location  # how problems name it
    size: int  # bytes
    width: int = 0  # an image's pixels, upright (its EXIF orientation applied)
    height: int = 0
    pages: int = 0  # a PDF's pages

    @property
    def is_image(self) -> bool:
        return self.width > 0

    @property
    def is_scan(self) -> bool:
        return self.pages > 0


def read_attachments(folder: Path, where: str, root: Path, problems: Problems) -> tuple[Attachment, ...]:
    """Every photo and scan in a record's folder (`where`: the folder as problems name it); each
    file that is not one, or cannot be read, is a problem naming it."""
    found = []
    for path in sorted(folder.iterdir()):
        if path.name.startswith((".", "~")) or path.name.lower() in LEFT_BY_THE_SYSTEM:
            continue  # hidden and lock files, as in the section's folder, and the system's own
        location = Location(os.path.join(where, path.name))
        suffix = path.suffix.lower()
        if path.is_dir() and not path.is_symlink():
            problems.add(location, "attachment_folder_nested", name=path.name)
            continue
        if suffix not in MEDIA_SUFFIXES:
            problems.add(location, "attachment_unexpected", name=path.name)
            continue
        data = read_bytes(path, location, problems, MAX_BYTES, root)
        if data is None:
            continue
        real = os.path.realpath(path)
        attachment = _image(data, path.name, real, location, problems) if suffix in IMAGE_SUFFIXES \
            else _scan(data, path.name, real, location, problems)
        if attachment is not None:
            found.append(attachment)
    return tuple(found)


def open_image(data: bytes) -> Image.Image:
    """An image from untrusted bytes, header only: Pillow's own bomb guard raises beyond twice
    its limit, and `MAX_PIXELS` is checked by the caller before anything is decoded."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        Image.MAX_IMAGE_PIXELS = MAX_PIXELS
        return Image.open(io.BytesIO(data))


def _image(data: bytes, name: str, path: str, location: Location, problems: Problems) -> Attachment | None:
    size = image_size(data, name, location, problems)
    return Attachment(name, path, location, len(data), *size) if size else None


def image_size(data: bytes, name: str, location: Location, problems: Problems) -> tuple[int, int] | None:
    """An image's upright size (width, height), once it is decoded whole within the pixel limit;
    None with a problem naming it (`name`) if not. Also for an image inside a Word file."""
    try:
        image = open_image(data)
        if image.format not in _FORMATS:
            raise UnidentifiedImageError(image.format)
        width, height = image.size
        if width * height > MAX_PIXELS:
            problems.add(location, "photo_too_many_pixels", name=name, pixels=f"{width}×{height}")
            return None
        orientation = image.getexif().get(0x0112)
        image.draft("RGB", (max(1, width // 8), max(1, height // 8)))  # a JPEG decodes at 1/8: every block still read
        image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        problems.add(location, "photo_too_many_pixels", name=name, pixels="")
        return None
    except (OSError, ValueError, SyntaxError, UnidentifiedImageError, EOFError):
        # Not an image, cut short, or damaged: Pillow's readers raise any of these.
        problems.add(location, "photo_unreadable", name=name)
        return None
    if orientation in _ROTATED:
        width, height = height, width
    return width, height


def _scan(data: bytes, name: str, path: str, location: Location, problems: Problems) -> Attachment | None:
    pages = 0
    if data.startswith(b"%PDF-"):
        try:
            # poppler's pdfinfo (Debian's poppler-utils), in its own process: a hostile PDF can
            # at worst fail or time out there.
            result = subprocess.run(["pdfinfo", "-"], input=data, capture_output=True, timeout=30, check=False)
            match = _PAGES.search(result.stdout) if result.returncode == 0 else None
            pages = int(match[1]) if match else 0
        except (OSError, subprocess.TimeoutExpired):
            pages = 0
    if pages < 1:
        problems.add(location, "scan_unreadable", name=name)
        return None
    # A scan is pages of paper: one with script, a form to fill or a password is published to no
    # one (a PDF viewer in the villager's browser would run or ask what it carries).
    if _ACTIVE.search(result.stdout) or _ACTIVE_NAMES.search(_HEX_IN_NAME.sub(lambda m: bytes([int(m[1], 16)]), data)):
        problems.add(location, "scan_active_content", name=name)
        return None
    return Attachment(name, path, location, len(data), pages=pages)
