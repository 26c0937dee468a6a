from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock


class MediaBlock(blocks.StructBlock):
    media = SnippetChooserBlock("courses.LessonMedia", label="音视频")

    class Meta:
        icon = "media"
        label = "视频或音频"
        template = "courses/blocks/media.html"


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label="图片")
    description = blocks.CharBlock(
        label="图片说明", help_text="给看不清图片的学员读出来的文字", max_length=200
    )

    class Meta:
        icon = "image"
        label = "图片"
        template = "courses/blocks/image.html"


class HandoutBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label="文件")
    title = blocks.CharBlock(label="显示名称", max_length=100)

    class Meta:
        icon = "doc-full"
        label = "讲义下载"
        template = "courses/blocks/handout.html"


class LessonBodyBlock(blocks.StreamBlock):
    text = blocks.RichTextBlock(label="文字", features=["h2", "h3", "bold", "ol", "ul", "link"])
    media = MediaBlock()
    image = ImageBlock()
    handout = HandoutBlock()
    embed = EmbedBlock(label="外部视频或网页", icon="media")
