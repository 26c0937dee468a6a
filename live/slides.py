"""课件: a PDF or a few images, rendered once on the server into page images that every
browser can show (no PDF viewer needed on a retiree's tablet)."""

import uuid
from io import BytesIO

import pypdfium2
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from PIL import Image, UnidentifiedImageError

from accounts.models import User
from accounts.services import notify_user
from core.refusals import Refused
from rooms.fanout import publish_after_commit
from rooms.services import append_event, stored

from . import tasks
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


def check_uploads(uploads: list[UploadedFile]) -> list[bytes]:
    """What the request can answer at once: something chosen, not too big, a PDF or an image
    (by its first bytes). Rendering waits for the worker."""
    if not uploads:
        raise Refused("invalid", "请选择课件文件（PDF 或图片）。")
    if sum(upload.size for upload in uploads) > MAX_BYTES:
        raise Refused("too_big", "课件太大了，最多 50MB。")
    contents = [upload.read() for upload in uploads]
    for content in contents:
        if not content.startswith(b"%PDF"):
            try:
                Image.open(BytesIO(content))  # reads the header only
            except (UnidentifiedImageError, OSError):
                raise Refused("invalid", "只能上传 PDF 或图片（JPG、PNG）。") from None
    return contents


def render_pages(contents: list[bytes]) -> list[Image.Image]:
    pages = []
    for content in contents:
        pages += pdf_pages(content) if content.startswith(b"%PDF") else [image_page(content)]
    if len(pages) > MAX_PAGES:
        raise Refused("too_big", f"课件最多 {MAX_PAGES} 页。")
    return pages


def accept_slides(live_class: LiveClass, user: User, uploads: list[UploadedFile]) -> None:
    """Keep the files through Django's storage and queue their rendering (live.tasks)."""
    require_teacher(user, live_class)
    batch = uuid.uuid4().hex[:12]
    names = [
        default_storage.save(
            f"live/slides/incoming/{live_class.pk}-{batch}-{number}", ContentFile(content)
        )
        for number, content in enumerate(check_uploads(uploads), start=1)
    ]
    tasks.render_slides.enqueue(live_class.pk, user.pk, batch, names)


def replace_slides(live_class: LiveClass, user: User, batch: str, names: list[str]) -> None:
    """The worker's part: render the kept files, store the pages (S3 when configured), show
    page 1 to everyone; on a file that cannot be shown, tell the teacher why. Safe to run
    twice: the same batch gives the same page names, and the teacher is told once."""
    try:
        pages = render_pages([default_storage.open(name).read() for name in names])
    except Refused as refusal:
        notify_user(
            user,
            "slides",
            f"课件没能放好：{refusal.message}",
            reverse("live:room", args=[live_class.pk]),
            about=f"slides:{batch}",
        )
    else:
        urls = []
        for number, page in enumerate(pages, start=1):
            buffer = BytesIO()
            page.save(buffer, format="PNG", optimize=True)
            name = f"live/slides/{live_class.pk}/{batch}-{number}.png"
            default_storage.delete(name)  # a second run writes the same page again
            urls.append(
                default_storage.url(default_storage.save(name, ContentFile(buffer.getvalue())))
            )
        with transaction.atomic():
            LiveClass.objects.filter(pk=live_class.pk).update(slide_images=urls, current_slide=0)
            data = {"page": 0, "image": urls[0], "pages": len(urls)}
            outcome = stored(*append_event(live_class.room, "slide.changed", data, author=user))
            publish_after_commit(live_class.room_id, outcome.broadcasts)
    for name in names:
        default_storage.delete(name)
