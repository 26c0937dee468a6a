"""课件: a PDF or a few images, rendered once on the server into page images that every
browser can show (no PDF viewer needed on a retiree's tablet)."""

import uuid
from io import BytesIO

import pypdfium2
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from PIL import Image, UnidentifiedImageError

from accounts.models import User
from core.refusals import Refused
from rooms.services import Outcome, append_event, stored

from .models import LiveClass
from .services import require_teacher

PAGE_WIDTH = 1600
MAX_PAGES = 100
MAX_BYTES = 50 * 1024 * 1024


def pdf_pages(content: bytes) -> list[Image.Image]:
    try:
        document = pypdfium2.PdfDocument(content)
    except pypdfium2.PdfiumError:
        raise Refused("invalid", "这个 PDF 打不开，请换一个文件。") from None
    if len(document) > MAX_PAGES:
        raise Refused("too_big", f"课件最多 {MAX_PAGES} 页。")
    pages = []
    for page in document:
        scale = PAGE_WIDTH / page.get_width()
        pages.append(page.render(scale=scale).to_pil())
    return pages


def image_page(content: bytes) -> Image.Image:
    try:
        image = Image.open(BytesIO(content))
        image.load()
    except (UnidentifiedImageError, OSError):
        raise Refused("invalid", "只能上传 PDF 或图片（JPG、PNG）。") from None
    if image.width > PAGE_WIDTH:
        image = image.resize((PAGE_WIDTH, round(image.height * PAGE_WIDTH / image.width)))
    return image.convert("RGB")


def render_pages(uploads: list[UploadedFile]) -> list[Image.Image]:
    if not uploads:
        raise Refused("invalid", "请选择课件文件（PDF 或图片）。")
    if sum(upload.size for upload in uploads) > MAX_BYTES:
        raise Refused("too_big", "课件太大了，最多 50MB。")
    pages = []
    for upload in uploads:
        content = upload.read()
        pages += pdf_pages(content) if content.startswith(b"%PDF") else [image_page(content)]
    if len(pages) > MAX_PAGES:
        raise Refused("too_big", f"课件最多 {MAX_PAGES} 页。")
    return pages


def replace_slides(live_class: LiveClass, user: User, uploads: list[UploadedFile]) -> Outcome:
    """Render, store through Django's storage (S3 when configured), show page 1 to everyone."""
    require_teacher(user, live_class)
    batch = uuid.uuid4().hex[:12]
    urls = []
    for number, page in enumerate(render_pages(uploads), start=1):
        buffer = BytesIO()
        page.save(buffer, format="PNG", optimize=True)
        name = default_storage.save(
            f"live/slides/{live_class.pk}/{batch}-{number}.png", ContentFile(buffer.getvalue())
        )
        urls.append(default_storage.url(name))
    with transaction.atomic():
        LiveClass.objects.filter(pk=live_class.pk).update(slide_images=urls, current_slide=0)
        data = {"page": 0, "image": urls[0], "pages": len(urls)}
        return stored(*append_event(live_class.room, "slide.changed", data, author=user))
