"""Files people upload (draft images, evidence of unacceptable behaviour): checked by what they contain,
never by their name or the type the browser claims; bounded in bytes and in pixels; and re-encoded so
that only the picture or the document is kept: no EXIF location, camera, author or editing software.

    checked = check_upload(request.FILES["file"], kinds=EVIDENCE, max_bytes=settings.…)
    Evidence.objects.create(file=checked, sha256=checked.sha256, kind=checked.kind, …)

A `CheckedFile` is the bytes to store, named by us (a random name with the extension of what the file
really is), with the SHA-256 of exactly those bytes. `check_upload` given a CheckedFile returns it as it
is, so a form can check a file for its error message and the service still refuses anything unchecked.
Raises ValidationError with a sentence a person understands."""

import hashlib
import io
import uuid
import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

# Pillow's format name -> (our kind, which is also the stored extension, and the content type).
IMAGE_FORMATS = {"PNG": "png", "JPEG": "jpg", "GIF": "gif", "WEBP": "webp"}
CONTENT_TYPES = {
    "png": "image/png",
    "jpg": "image/jpeg",
    "gif": "image/gif",
    "webp": "image/webp",
    "pdf": "application/pdf",
}
IMAGES = frozenset(IMAGE_FORMATS.values())
EVIDENCE = IMAGES | {"pdf"}
# What a re-encoded image keeps of the original's information: how its pixels are drawn, nothing else.
PIXEL_INFO = ("transparency", "duration", "loop", "background")
# Parts of a PDF that describe who made it and with what, or that act when it is opened.
PDF_CATALOG_DROPPED = ("/Metadata", "/PieceInfo", "/OpenAction", "/AA")
PDF_NAMES_DROPPED = ("/JavaScript", "/EmbeddedFiles")
PDF_PAGE_DROPPED = ("/Metadata", "/PieceInfo", "/AA")
PDF_MAX_PAGES = 200


class CheckedFile(ContentFile):
    """Bytes that passed the checks and were re-encoded, ready to store under our own name."""

    def __init__(self, content: bytes, kind: str):
        super().__init__(content, name=f"{uuid.uuid4().hex}.{kind}")
        self.kind = kind
        self.content_type = CONTENT_TYPES[kind]
        self.sha256 = hashlib.sha256(content).hexdigest()


def describe(kinds) -> str:
    """ "a PNG, JPEG, GIF or WebP image, or a PDF": what a person may upload, for messages and labels."""
    images = [
        name
        for name, kind in (("PNG", "png"), ("JPEG", "jpg"), ("GIF", "gif"), ("WebP", "webp"))
        if kind in kinds
    ]
    text = f"a {', '.join(images[:-1])} or {images[-1]} image" if len(images) > 1 else f"a {images[0]} image"
    return f"{text}, or a PDF" if "pdf" in kinds else text


def check_upload(upload, *, kinds=IMAGES, max_bytes: int, max_pixels: int | None = None) -> CheckedFile:
    """The upload, checked and cleaned, or ValidationError saying what is wrong with it."""
    if isinstance(upload, CheckedFile):
        return upload
    if upload.size > max_bytes:
        raise ValidationError(f"The file must be smaller than {filesizeformat(max_bytes)}.")
    upload.seek(0)
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:  # a size that lied
        raise ValidationError(f"The file must be smaller than {filesizeformat(max_bytes)}.")
    if data.startswith(b"%PDF-") and "pdf" in kinds:
        return CheckedFile(_clean_pdf(data), "pdf")
    max_pixels = max_pixels or settings.UPLOAD_MAX_PIXELS
    return _clean_image(data, kinds, max_pixels)


def _too_many_pixels(max_pixels: int) -> ValidationError:
    return ValidationError(
        f"The image is too large: use one of at most {max_pixels // 1_000_000} million pixels "
        "(for example, a screenshot or a photo from a phone)."
    )


def _clean_image(data: bytes, kinds, max_pixels: int) -> CheckedFile:
    wrong_type = ValidationError(f"The file must be {describe(kinds)}.")
    try:
        with warnings.catch_warnings():
            # Pillow warns (and above twice its limit, refuses) on images built to exhaust memory.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            kind = IMAGE_FORMATS.get(image.format)
            if kind is None or kind not in kinds:
                raise wrong_type
            frames = getattr(image, "n_frames", 1)
            if image.width * image.height * frames > max_pixels:
                raise _too_many_pixels(max_pixels)
            return CheckedFile(_reencoded(image, kind), kind)
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise _too_many_pixels(max_pixels) from None
    except UnidentifiedImageError:
        raise wrong_type from None
    except (OSError, ValueError, SyntaxError, EOFError):
        # Recognised, but the pixels cannot be read: truncated or damaged.
        raise ValidationError(
            "The image cannot be read: it may be damaged. Open it, save it again and upload the new copy."
        ) from None


def _pixels_only(image: Image.Image) -> Image.Image:
    image.info = {key: value for key, value in image.info.items() if key in PIXEL_INFO}
    return image


def _reencoded(image: Image.Image, kind: str) -> bytes:
    """The picture drawn again into a new file: EXIF (location, camera, dates), XMP, comments, colour
    profiles and editing software's notes are left behind. A photo's EXIF orientation is applied first,
    so it still shows the right way up."""
    out = io.BytesIO()
    fmt = image.format
    if getattr(image, "n_frames", 1) > 1:
        frames = [_pixels_only(frame.copy()) for frame in ImageSequence.Iterator(image)]
        frames[0].save(
            out,
            fmt,
            save_all=True,
            append_images=frames[1:],
            duration=[frame.info.get("duration", 100) for frame in frames],
            loop=image.info.get("loop", 0),
        )
        return out.getvalue()
    clean = _pixels_only(ImageOps.exif_transpose(image) if kind == "jpg" else image.copy())
    options = {"quality": 90} if kind in ("jpg", "webp") else {}
    if "transparency" in clean.info:
        options["transparency"] = clean.info["transparency"]
    clean.save(out, fmt, **options)
    return out.getvalue()


def _clean_pdf(data: bytes) -> bytes:
    """The PDF rewritten without its document information (author, title, creating software, dates),
    XMP metadata, editing applications' private data, scripts, actions and embedded files."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.errors import PyPdfError
    from pypdf.generic import NameObject

    unreadable = ValidationError(
        "The PDF cannot be read: it may be damaged. Open it, save or print it as a new PDF and upload that."
    )
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise ValidationError(
                "The PDF is protected with a password, so it cannot be checked. Upload a copy without one."
            )
        if len(reader.pages) > PDF_MAX_PAGES:
            raise ValidationError(
                f"The PDF has more than {PDF_MAX_PAGES} pages: upload only the pages needed."
            )
        writer = PdfWriter(clone_from=reader)
        writer.metadata = None
        root = writer.root_object
        for key in PDF_CATALOG_DROPPED:
            root.pop(NameObject(key), None)
        names = root.get("/Names")
        if names is not None:
            names = names.get_object()
            for key in PDF_NAMES_DROPPED:
                names.pop(NameObject(key), None)
        for page in writer.pages:
            for key in PDF_PAGE_DROPPED:
                page.pop(NameObject(key), None)
        writer.compress_identical_objects(remove_duplicates=False, remove_unreferenced=True)
        out = io.BytesIO()
        writer.write(out)
    except ValidationError:
        raise
    except (PyPdfError, OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        raise unreadable from None
    return out.getvalue()
