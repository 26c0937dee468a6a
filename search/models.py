from django.db import models
from wagtail.admin.panels import FieldPanel


class SearchEntry(models.Model):
    """One thing the site's search can find. The *_words columns hold jieba-segmented text,
    space-joined; the full-text side (a tsvector column with a GIN index on PostgreSQL, an FTS5
    table on SQLite) is built over them in migration 0002."""

    kind = models.CharField("类型", max_length=20)
    object_id = models.PositiveBigIntegerField("对象编号")
    url = models.CharField("地址", max_length=500)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    # Whose it is: the institution's tree path (notices and circles are filtered by their own
    # app's audience rules at search time; this is for reports and the bench).
    institution_path = models.CharField("机构路径", max_length=255, blank=True)
    title = models.CharField("标题", max_length=255)
    summary = models.TextField("摘要", blank=True)
    body = models.TextField("正文", blank=True)
    title_words = models.TextField(blank=True)
    summary_words = models.TextField(blank=True)
    body_words = models.TextField(blank=True)
    pinyin = models.TextField("拼音", blank=True)
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "搜索条目"
        verbose_name_plural = "搜索条目"
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="one_entry_per_object"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} · {self.title}"


class Synonym(models.Model):
    """An everyday word and the words courses use for it, added by staff on top of the list
    kept in the repository (search/synonyms.txt)."""

    word = models.CharField("大家常说的词", max_length=20, unique=True, help_text="例如 毛笔字")
    alternatives = models.CharField(
        "也按这些词找",
        max_length=200,
        help_text="用空格隔开，例如 书法 硬笔书法",
    )

    panels = [FieldPanel("word"), FieldPanel("alternatives")]

    class Meta:
        verbose_name = "搜索同义词"
        verbose_name_plural = "搜索同义词"
        ordering = ["word"]

    def __str__(self) -> str:
        return f"{self.word} → {self.alternatives}"
