"""core.uploads: files are checked by what they contain, bounded in bytes and pixels, and stored
re-encoded without metadata; the fingerprint is of exactly the stored bytes."""

import hashlib
import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image, PngImagePlugin
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DecodedStreamObject, NameObject

from core.uploads import EVIDENCE, IMAGES, CheckedFile, check_upload


def upload(data: bytes, name: str = "file.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def jpeg_with_gps() -> bytes:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.Artist] = "Jo Bloggs"
    exif[ExifTags.Base.Orientation] = 6  # shown rotated: the stored copy must be turned the right way
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (53.0, 22.0, 5.5),
        ExifTags.GPS.GPSLongitudeRef: "W",
        ExifTags.GPS.GPSLongitude: (1.0, 28.0, 12.0),
    }
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(out, "JPEG", exif=exif, comment=b"taken at home")
    return out.getvalue()


def huge_png_header(width: int, height: int) -> bytes:
    """A PNG that claims to be width x height: a few bytes that would decode to gigabytes."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + chunk(b"IEND", b"")
    )


def test_exif_with_gps_is_really_gone_from_the_stored_jpeg():
    original = jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(ExifTags.IFD.GPSInfo)
    checked = check_upload(upload(original, "holiday.jpg"), kinds=IMAGES, max_bytes=10**6)
    stored = checked.read()
    reopened = Image.open(io.BytesIO(stored))
    assert reopened.format == "JPEG" and not reopened.getexif()
    assert not reopened.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    assert "exif" not in reopened.info and "comment" not in reopened.info
    assert b"Exif" not in stored and b"Jo Bloggs" not in stored and b"PhoneMaker" not in stored
    assert reopened.size == (30, 40)  # the orientation was applied before the tag went
    assert checked.sha256 == hashlib.sha256(stored).hexdigest()
    assert checked.name.endswith(".jpg") and "holiday" not in checked.name


def test_png_text_and_webp_exif_are_gone_too():
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Jo Bloggs")
    out = io.BytesIO()
    Image.new("RGB", (8, 8)).save(out, "PNG", pnginfo=info)
    assert b"Jo Bloggs" not in check_upload(upload(out.getvalue()), max_bytes=10**6).read()
    exif = Image.Exif()
    exif[ExifTags.Base.Artist] = "Jo Bloggs"
    out = io.BytesIO()
    Image.new("RGB", (8, 8)).save(out, "WEBP", exif=exif)
    stored = check_upload(upload(out.getvalue(), "x.webp"), max_bytes=10**6)
    assert stored.kind == "webp" and b"Jo Bloggs" not in stored.read()


def test_an_animated_gif_keeps_its_frames():
    frames = [Image.new("RGB", (10, 10), colour) for colour in ("red", "blue", "green")]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], duration=200, comment=b"Jo Bloggs")
    stored = check_upload(upload(out.getvalue(), "a.gif"), max_bytes=10**6).read()
    assert Image.open(io.BytesIO(stored)).n_frames == 3 and b"Jo Bloggs" not in stored


def test_pdf_document_information_and_xmp_are_gone():
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.add_metadata({"/Author": "Jo Bloggs", "/Creator": "Word for Jo"})
    xmp = DecodedStreamObject()
    xmp.set_data(b"<x:xmpmeta>Jo Bloggs XMP</x:xmpmeta>")
    writer.root_object[NameObject("/Metadata")] = writer._add_object(xmp)
    out = io.BytesIO()
    writer.write(out)
    checked = check_upload(upload(out.getvalue(), "report.pdf"), kinds=EVIDENCE, max_bytes=10**6)
    stored = checked.read()
    assert checked.kind == "pdf" and checked.content_type == "application/pdf"
    assert b"Jo Bloggs" not in stored and b"Word for Jo" not in stored
    reader = PdfReader(io.BytesIO(stored))
    assert not reader.metadata and len(reader.pages) == 1


def test_a_30000_by_30000_png_is_refused_before_it_is_decoded():
    with pytest.raises(ValidationError, match="too large: use one of at most 40 million pixels"):
        check_upload(upload(huge_png_header(30000, 30000)), max_bytes=10**6)


def test_an_image_over_the_pixel_limit_is_refused(settings):
    settings.UPLOAD_MAX_PIXELS = 1_000_000
    with pytest.raises(ValidationError, match="at most 1 million pixels"):
        check_upload(upload(huge_png_header(2000, 1000)), max_bytes=10**6)


@pytest.mark.parametrize(
    ("data", "name", "kinds", "message"),
    [
        (b"MZ\x90\x00 a program", "photo.png", IMAGES, "must be a PNG, JPEG, GIF or WebP image."),
        (b"<html><script>", "evil.jpg", EVIDENCE, "must be a PNG, JPEG, GIF or WebP image, or a PDF."),
        (b"%PDF-1.7 nothing else", "x.png", IMAGES, "must be a PNG, JPEG, GIF or WebP image."),
        (b"%PDF-1.7 nothing else", "x.pdf", EVIDENCE, "The PDF cannot be read"),
        (jpeg_with_gps()[:200], "cut.jpg", IMAGES, "The image cannot be read"),
    ],
)
def test_mislabelled_and_unreadable_files_are_refused(data, name, kinds, message):
    with pytest.raises(ValidationError, match=message.replace(".", r"\.")):
        check_upload(upload(data, name), kinds=kinds, max_bytes=10**6)


def test_an_oversized_file_is_refused_by_size_first():
    with pytest.raises(ValidationError) as refused:
        check_upload(upload(b"\0" * 2000), max_bytes=1024)
    assert refused.value.messages == ["The file must be smaller than 1.0\xa0KB."]


def test_a_checked_file_is_not_checked_twice():
    checked = check_upload(upload(jpeg_with_gps()), max_bytes=10**6)
    assert isinstance(checked, CheckedFile) and check_upload(checked, max_bytes=1) is checked
