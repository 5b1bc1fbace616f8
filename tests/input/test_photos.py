"""Photos and scans on a record (issue 24): what is published of a phone's photo (no EXIF, no GPS,
upright, a few widths), each way a photo or scan is refused, and the same bytes on a rebuild."""

from __future__ import annotations

import io
import os
import shutil
from datetime import date
from pathlib import Path

import pytest
from PIL import ExifTags, Image, ImageDraw

from generator.fs.paths import TEMPLATE_CACHE
from generator.inputs.messages import Catalogue

RECORD = "content/testv/2026/affairs/board.yml"
FOLDER = "content/testv/2026/affairs/board"
AS_OF = date(2026, 6, 1)


def jpeg(width: int = 1600, height: int = 1200, gps: bool = True, orientation: int = 1, seed: int = 0) -> bytes:
    """A phone's photo: a drawn board, with the camera's EXIF (GPS position, maker, orientation)
    and an XMP packet naming the place."""
    image = Image.new("RGB", (width, height), (200 - seed * 10, 190, 170))
    pen = ImageDraw.Draw(image)
    for i in range(8):
        pen.rectangle((40 + i * width // 9, height // 5, 40 + i * width // 9 + width // 12, height * 4 // 5),
                      fill=(250, 250, 245), outline=(150, 30, 30), width=4)
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.Orientation] = orientation
    if gps:
        position = exif.get_ifd(ExifTags.IFD.GPSInfo)
        position.update({1: "N", 2: (22.0, 30.0, 15.0), 3: "E", 4: (113.0, 55.0, 3.0)})
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85, exif=exif, xmp=b'<x:xmpmeta xmlns:x="adobe:ns:meta/">GPSLatitude 22,30</x:xmpmeta>')
    return out.getvalue()


def pdf(pages: int = 2) -> bytes:
    sheets = [Image.new("L", (300, 420), 245) for _ in range(pages)]
    out = io.BytesIO()
    sheets[0].save(out, "PDF", save_all=True, append_images=sheets[1:])
    return out.getvalue()


def notice(photos: str = "", scans: str = "") -> str:
    text = "title: 村道维修公示\ncategory: 其他\ndate: 2026-05-20\nposted_until: 2026-06-05\nbody: 村道维修。\n"
    return text + (f"photos:\n{photos}" if photos else "") + (f"scans:\n{scans}" if scans else "")


def photo_entry(file: str, caption: str = "5月20日张贴于公示栏", checked_by: str = "李会计") -> str:
    return f"  - file: {file}\n" + (f"    caption: {caption}\n" if caption else "") + \
        (f"    checked_by: {checked_by}\n" if checked_by else "")


def test_a_phones_photo_is_published_without_exif_upright_in_a_few_widths(portal):
    source = jpeg(orientation=6)  # taken with the phone turned: 1600×1200 stored, 1200×1600 seen
    assert Image.open(io.BytesIO(source)).getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the test's photo has a position
    portal.record(2026, "affairs", "board.yml", notice(photo_entry("公示栏.jpg") + photo_entry("small.jpg", "近照")))
    portal.write(f"{FOLDER}/公示栏.jpg", source)
    portal.write(f"{FOLDER}/small.jpg", jpeg(500, 300, gps=False))
    page = portal.page("affairs", "board")
    # Every width up to the photo's own, never enlarged; WebP with JPEG beside it.
    assert 'srcset="photo-1-360.webp 360w, photo-1-720.webp 720w, photo-1-1200.webp 1200w"' in page
    assert 'srcset="photo-1-360.jpg 360w, photo-1-720.jpg 720w, photo-1-1200.jpg 1200w"' in page
    assert 'srcset="photo-2-360.webp 360w, photo-2-500.webp 500w"' in page
    # The size of the smallest, upright, so the page does not jump as it loads; the caption as its alt.
    assert 'width="360" height="480" alt="5月20日张贴于公示栏" loading="lazy" decoding="async"' in page
    assert "<figcaption>5月20日张贴于公示栏</figcaption>" in page
    folder = portal.root / "docs" / "2026" / "affairs" / "board"
    published = sorted(path for path in folder.iterdir() if path.name.startswith("photo-"))
    assert [path.name for path in published if path.name.startswith("photo-1-")] == [
        "photo-1-1200.jpg", "photo-1-1200.webp", "photo-1-360.jpg", "photo-1-360.webp", "photo-1-720.jpg",
        "photo-1-720.webp"]
    for path in published:
        image = Image.open(path)
        assert dict(image.getexif()) == {}, path.name
        assert not {"exif", "xmp", "XML:com.adobe.xmp", "icc_profile"} & set(image.info), path.name
        assert b"PhoneMaker" not in path.read_bytes() and b"GPS" not in path.read_bytes(), path.name
    assert Image.open(folder / "photo-1-1200.jpg").size == (1200, 1600)


def test_a_scan_is_listed_with_its_pages_and_size_and_copied(portal):
    portal.record(2026, "affairs", "board.yml", notice(scans=photo_entry("会议记录.pdf", "村民代表会议记录（签字页）")))
    portal.write(f"{FOLDER}/会议记录.pdf", pdf(3))
    page = portal.page("affairs", "board")
    size = (portal.root / FOLDER / "会议记录.pdf").stat().st_size
    assert f'<a href="scan-1.pdf" type="application/pdf">村民代表会议记录（签字页）</a>' in page
    assert f"（共3页，{round(size / 1024)}千字节）" in page
    assert (portal.root / "docs/2026/affairs/board/scan-1.pdf").read_bytes() == (portal.root / FOLDER / "会议记录.pdf").read_bytes()


def _pdf_with_script() -> bytes:
    """A one-page PDF that runs a script when opened (an OpenAction), as a hostile "scan" would."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>", b"<< /S /JavaScript /JS (app.alert(1)) >>"]
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    table = b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    return out + (b"xref\n0 5\n0000000000 65535 f \n%strailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n"
                  % (table, len(out)))


@pytest.mark.parametrize("written", ["/JavaScript", "/J#61vaScript"], ids=["plain", "name-escaped"])
def test_a_scan_that_carries_a_script_is_refused(portal, written):
    portal.record(2026, "affairs", "board.yml", notice(scans=photo_entry("会议记录.pdf", "村民代表会议记录（签字页）")))
    portal.write(f"{FOLDER}/会议记录.pdf", _pdf_with_script().replace(b"/JavaScript", written.encode()))
    errors = [(str(problem.location), problem.key) for problem in portal.check(as_of=AS_OF).problems.errors]
    assert errors == [(f"{FOLDER}/会议记录.pdf", "scan_active_content")]


def _bomb() -> bytes:
    out = io.BytesIO()
    Image.new("1", (10_000, 10_000)).save(out, "PNG")  # 100 million pixels in a few KB
    return out.getvalue()


# (what the record says, the files of its folder, where the error is, its message key)
REFUSALS = {
    "missing": (photo_entry("公示栏.jpg"), {}, f"{RECORD}:7", "attachment_missing"),
    "up and out": (photo_entry("../secret.jpg"), {}, f"{RECORD}:7", "attachment_outside"),
    "absolute": (photo_entry("/etc/passwd"), {}, f"{RECORD}:7", "attachment_outside"),
    "not an image": (photo_entry("公示栏.jpg"), {"公示栏.jpg": b"MZ\x90\x00 not a picture"}, f"{FOLDER}/公示栏.jpg",
                     "photo_unreadable"),
    "cut short": (photo_entry("公示栏.jpg"), {"公示栏.jpg": jpeg()[:3000]}, f"{FOLDER}/公示栏.jpg", "photo_unreadable"),
    "bomb": (photo_entry("公示栏.png"), {"公示栏.png": _bomb()}, f"{FOLDER}/公示栏.png", "photo_too_many_pixels"),
    "no caption": (photo_entry("公示栏.jpg", caption=""), {"公示栏.jpg": jpeg()}, f"{RECORD}:7", "photo_caption_missing"),
    "nobody looked": (photo_entry("公示栏.jpg", checked_by=""), {"公示栏.jpg": jpeg()}, f"{RECORD}:7",
                      "attachment_not_checked"),
    "a PDF as a photo": (photo_entry("记录.pdf"), {"记录.pdf": pdf()}, f"{RECORD}:7", "photo_not_image"),
}


@pytest.mark.parametrize("case", REFUSALS)
def test_each_refusal_is_located(portal, case):
    entry, files, where, key = REFUSALS[case]
    portal.record(2026, "affairs", "board.yml", notice(entry))
    for name, data in files.items():
        portal.write(f"{FOLDER}/{name}", data)
    errors = [(str(problem.location), problem.key) for problem in portal.check(as_of=AS_OF).problems.errors]
    assert errors == [(where, key)]


def test_a_link_out_of_content_is_refused_and_nobody_looked_says_why(portal, tmp_path):
    outside = tmp_path / "elsewhere.jpg"
    outside.write_bytes(jpeg())
    portal.record(2026, "affairs", "board.yml", notice(photo_entry("公示栏.jpg", checked_by="")))
    (portal.root / FOLDER).mkdir(parents=True)
    os.symlink(outside, portal.root / FOLDER / "公示栏.jpg")
    problems = portal.check(as_of=AS_OF).problems
    assert [(str(p.location), p.key) for p in problems.errors] == [(f"{FOLDER}/公示栏.jpg", "file_link_outside")]
    # Nobody looked: the clerk is told that a picture cannot be read for numbers, and what to write.
    text = Catalogue().text("problem.attachment_not_checked", name="公示栏.jpg")
    assert "身份证号" in text and "checked_by" in text and "名字" in text


def test_a_caption_is_audited_for_personal_numbers_like_any_text(portal):
    portal.record(2026, "affairs", "board.yml", notice(photo_entry("公示栏.jpg", caption="张三 身份证11010519491231002X")))
    portal.write(f"{FOLDER}/公示栏.jpg", jpeg())
    errors = portal.check(as_of=AS_OF).problems.errors
    assert [(str(p.location), p.key, p.params["number_kind"]) for p in errors] == [
        (f"{RECORD}:6", "personal_number", "id")]  # at the list of photos


def test_a_rebuild_publishes_the_same_bytes(portal, tmp_path):
    portal.record(2026, "affairs", "board.yml", notice(photo_entry("公示栏.jpg")))
    portal.write(f"{FOLDER}/公示栏.jpg", jpeg(orientation=8))
    first, second = tmp_path / "first", tmp_path / "second"
    portal.build(first, as_of=AS_OF)
    shutil.rmtree(Path(TEMPLATE_CACHE.directory) / "vp-photos", ignore_errors=True)  # encoded afresh, not kept
    portal.build(second, as_of=AS_OF)
    record = Path("testv/2026/affairs/board")
    files = sorted(path.name for path in (first / record).iterdir() if path.name.startswith("photo-"))
    assert len(files) == 6
    for name in files:
        assert (first / record / name).read_bytes() == (second / record / name).read_bytes(), name
    manifest = (first / "testv/2026/manifest.json").read_text(encoding="utf-8")
    assert "affairs/board/photo-1-360.webp" in manifest


def test_a_photo_is_part_of_its_records_fingerprint(portal):
    from generator.domain.kinds import KINDS
    from generator.inputs.load import record_files

    portal.record(2026, "affairs", "board.yml", notice(photo_entry("公示栏.jpg")))
    portal.write(f"{FOLDER}/公示栏.jpg", jpeg())
    village = portal.root / "content" / "testv"
    hashed = record_files(village, KINDS)[2026]["affairs/board"]
    # What an up-to-date build hashes without reading is what loading the record gives.
    assert portal.check(as_of=AS_OF).villages[0].records[0].source.fingerprint == hashed
    portal.write(f"{FOLDER}/公示栏.jpg", jpeg(seed=3))
    assert record_files(village, KINDS)[2026]["affairs/board"] != hashed


def test_a_photo_left_out_is_not_published_and_the_clerk_is_told(portal):
    portal.record(2026, "affairs", "board.yml", notice(photo_entry("公示栏.jpg")))
    portal.write(f"{FOLDER}/公示栏.jpg", jpeg())
    portal.write(f"{FOLDER}/另一张.jpg", jpeg(seed=2))
    problems = portal.check(as_of=AS_OF).problems
    assert problems.errors == []
    assert [(str(p.location), p.key, p.params["name"]) for p in problems if p.key == "attachment_not_listed"] == [
        (f"{RECORD}:6", "attachment_not_listed", "另一张.jpg")]
    page = portal.page("affairs", "board")
    assert "photo-2" not in page
    assert not (portal.root / "docs/2026/affairs/board/photo-2-360.webp").exists()


def test_a_folder_of_photos_without_its_record_is_an_error(portal):
    portal.record(2026, "affairs", "board.yml", notice())
    portal.write("content/testv/2026/affairs/bord/公示栏.jpg", jpeg())
    errors = [(str(p.location), p.key) for p in portal.check(as_of=AS_OF).problems.errors]
    assert errors == [("content/testv/2026/affairs/bord", "attachment_folder_without_record")]


def test_what_windows_leaves_beside_the_photos_is_not_the_clerks(portal):
    from generator.domain.kinds import KINDS
    from generator.inputs.load import record_files

    portal.record(2026, "affairs", "board.yml", notice(photo_entry("公示栏.jpg")))
    portal.write(f"{FOLDER}/公示栏.jpg", jpeg())
    hashed = record_files(portal.root / "content" / "testv", KINDS)[2026]["affairs/board"]
    portal.write(f"{FOLDER}/Thumbs.db", b"\xd0\xcf\x11\xe0 thumbnails")
    assert portal.check(as_of=AS_OF).problems.errors == []
    # Nor does it make the record look changed, or the village unreadable without reading it.
    assert record_files(portal.root / "content" / "testv", KINDS)[2026]["affairs/board"] == hashed
