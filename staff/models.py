from django.conf import settings
from django.db import models


class CareContact(models.Model):
    """A phone call or a visit to a retiree (定期走访). It takes them off the care list until
    they have been quiet for the chosen number of days again."""

    class Method(models.TextChoices):
        PHONE = "phone", "电话"
        VISIT = "visit", "上门"

    retiree = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="军休干部",
        on_delete=models.CASCADE,
        related_name="care_contacts",
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="工作人员",
        on_delete=models.SET_NULL,
        null=True,
        related_name="care_contacts_made",
    )
    method = models.CharField("方式", max_length=10, choices=Method.choices)
    contacted_on = models.DateField("联系日期")
    note = models.CharField("情况记录", max_length=300, blank=True)
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "关怀联系记录"
        verbose_name_plural = "关怀联系记录"
        ordering = ["-contacted_on", "-recorded_at"]
        indexes = [models.Index(fields=["retiree", "contacted_on"])]

    def __str__(self) -> str:
        return f"{self.retiree} · {self.get_method_display()} · {self.contacted_on}"


class ReportExport(models.Model):
    """A 学期报表 .xlsx a staff member asked for: built by a task worker, then downloaded by
    them alone (it holds their subtree's figures)."""

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="申请人",
        on_delete=models.CASCADE,
        related_name="report_exports",
    )
    term = models.ForeignKey("courses.Term", verbose_name="学期", on_delete=models.CASCADE)
    requested_at = models.DateTimeField("申请时间", auto_now_add=True)
    finished_at = models.DateTimeField("生成时间", null=True, blank=True)
    content = models.BinaryField("文件", null=True, blank=True)

    class Meta:
        verbose_name = "报表导出"
        verbose_name_plural = "报表导出"

    def __str__(self) -> str:
        return f"{self.term} · {self.requested_by}"
