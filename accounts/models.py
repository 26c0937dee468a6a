from django.contrib.auth.models import AbstractUser, UserManager
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from treebeard.mp_tree import MP_Node

mobile_validator = RegexValidator(r"^1[3-9]\d{9}$", "请填写11位手机号码，例如 13812345678。")
landline_or_mobile_validator = RegexValidator(
    r"^[0-9\-]{7,20}$", "请填写电话号码，只用数字和短横线，例如 010-12345678。"
)


class Institution(MP_Node):
    """One node of the service tree: 部门 → 中心 → 军休所 → 服务站."""

    class Kind(models.TextChoices):
        DEPARTMENT = "department", "退役军人事务部门"
        CENTER = "center", "军休服务管理中心"
        INSTITUTE = "institute", "军休所"
        STATION = "station", "军休服务站"

    name = models.CharField("名称", max_length=100)
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    duty_phone = models.CharField(
        "值班电话", max_length=20, blank=True, validators=[landline_or_mobile_validator]
    )
    address = models.CharField("地址", max_length=200, blank=True)
    duty_roster = models.TextField(
        "值班安排",
        blank=True,
        max_length=1000,
        help_text="一行一条，例如：周一至周五 上午8:30到下午5:30 王丽 010-65551101",
    )

    node_order_by = ["name"]

    class Meta:
        verbose_name = "机构"
        verbose_name_plural = "机构"

    def __str__(self) -> str:
        return self.name

    def subtree(self) -> models.QuerySet["Institution"]:
        """This institution and every institution below it."""
        return Institution.objects.filter(path__startswith=self.path)

    def duty_contact(self) -> tuple[str, list[str]]:
        """(duty phone, duty roster lines): each this institution's own, or the nearest one
        up the tree (a 服务站 without its own uses its 军休所's)."""
        chain = [self]
        if not (self.duty_phone and self.duty_roster.strip()):  # every page asks: no query when own
            chain += self.get_ancestors().order_by("-depth")
        phone = next((place.duty_phone for place in chain if place.duty_phone), "")
        roster = next((place.duty_roster for place in chain if place.duty_roster.strip()), "")
        return phone, [line.strip() for line in roster.splitlines() if line.strip()]

    def contact_phone(self) -> str:
        return self.duty_contact()[0]


class User(AbstractUser):
    """Anyone who logs in. Retirees log in with their mobile number; staff-issued account
    names (username) work for everyone."""

    class Role(models.TextChoices):
        RETIREE = "retiree", "军休干部"
        INSTRUCTOR = "instructor", "授课教师"
        STAFF = "staff", "机构工作人员"
        ADMIN = "admin", "平台管理员"
        FAMILY = "family", "家属"

    username = models.CharField(
        "账号",
        max_length=50,
        unique=True,
        help_text="由工作人员发放的登录账号，可用字母、数字和 @/./+/-/_。",
        validators=[AbstractUser.username_validator],
        error_messages={"unique": "这个账号已经有人使用。"},
    )
    name = models.CharField("姓名", max_length=50)
    phone = models.CharField(
        "手机号",
        max_length=11,
        unique=True,
        null=True,
        blank=True,
        validators=[mobile_validator],
        error_messages={"unique": "这个手机号已经登记过。"},
    )
    role = models.CharField("身份", max_length=20, choices=Role.choices, default=Role.RETIREE)
    institution = models.ForeignKey(
        Institution,
        verbose_name="所属机构",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        help_text="军休干部所属的军休所或服务站；工作人员管理的机构（含下级）。",
    )
    elder_mode = models.BooleanField("长辈模式", default=False)
    guide_done = models.BooleanField("看过新手引导", default=False)
    must_change_password = models.BooleanField(
        "首次登录需改密码", default=False, help_text="工作人员发的初始密码，登录后要先换成自己的。"
    )

    objects = UserManager()

    REQUIRED_FIELDS = ["name"]

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"
        constraints = [
            models.CheckConstraint(
                condition=~Q(role="staff") | Q(institution__isnull=False),
                name="staff_has_institution",
            ),
        ]

    def __str__(self) -> str:
        return self.name or self.username

    def get_full_name(self) -> str:
        return self.name or self.username

    def get_short_name(self) -> str:
        return self.name or self.username

    @property
    def is_retiree(self) -> bool:
        return self.role == self.Role.RETIREE

    @property
    def is_institution_staff(self) -> bool:
        return self.role == self.Role.STAFF

    @property
    def is_instructor(self) -> bool:
        return self.role == self.Role.INSTRUCTOR

    @property
    def is_platform_admin(self) -> bool:
        return self.role == self.Role.ADMIN or self.is_superuser


class RetireeProfile(models.Model):
    """What staff need to serve a retiree. Care flags are personal data: only staff of the
    retiree's institution (and the retiree) may see them; see accounts.permissions."""

    class Retirement(models.TextChoices):
        LIXIU = "lixiu", "离休"
        TUIXIU = "tuixiu", "退休"

    class Rank(models.TextChoices):
        OFFICER = "officer", "军官"
        NCO = "nco", "士官"

    CARE_FLAGS = (
        ("disabled", "失能"),
        ("dementia", "失智"),
        ("seriously_ill", "重病"),
        ("very_old", "高龄"),
        ("living_alone", "独居"),
        ("empty_nest", "空巢"),
    )

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="retiree_profile", verbose_name="姓名"
    )
    retirement = models.CharField(
        "离休/退休", max_length=10, choices=Retirement.choices, default=Retirement.TUIXIU
    )
    rank = models.CharField("军官/士官", max_length=10, choices=Rank.choices, default=Rank.OFFICER)
    birth_year = models.PositiveSmallIntegerField("出生年份", null=True, blank=True)
    address = models.CharField("住址", max_length=200, blank=True)
    emergency_contact_name = models.CharField("紧急联系人", max_length=50, blank=True)
    emergency_contact_phone = models.CharField(
        "紧急联系电话", max_length=20, blank=True, validators=[landline_or_mobile_validator]
    )
    disabled = models.BooleanField("失能", default=False)
    dementia = models.BooleanField("失智", default=False)
    seriously_ill = models.BooleanField("重病", default=False)
    very_old = models.BooleanField("高龄", default=False)
    living_alone = models.BooleanField("独居", default=False)
    empty_nest = models.BooleanField("空巢", default=False)
    notes = models.TextField("服务备注", blank=True)
    assigned_staff = models.ForeignKey(
        User,
        verbose_name="包户工作人员",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="households",
        help_text="定人包户：负责经常联系这位军休干部的工作人员。",
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "军休干部档案"
        verbose_name_plural = "军休干部档案"

    def __str__(self) -> str:
        return str(self.user)

    @property
    def care_flag_labels(self) -> list[str]:
        return [label for field, label in self.CARE_FLAGS if getattr(self, field)]


class Notification(models.Model):
    """A message to one user from any app (waitlist promotion, a new notice, ...)."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="notifications", verbose_name="用户"
    )
    kind = models.CharField("类型", max_length=40)
    text = models.CharField("内容", max_length=300)
    url = models.CharField("链接", max_length=300, blank=True)
    # What it is about ("notice:42", "live_class:7:evening"): with the user and the kind,
    # the idempotency key that keeps a task run twice from telling anyone the same thing twice.
    about = models.CharField("事由", max_length=80, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    class Meta:
        verbose_name = "提醒"
        verbose_name_plural = "提醒"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "read_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "about"],
                condition=~models.Q(about=""),
                name="notification_once_per_user_kind_about",
            )
        ]

    def __str__(self) -> str:
        return self.text


class RosterUpload(models.Model):
    """A roster file a staff member uploaded: kept until it is imported (the preview and the
    confirmation read the same bytes), then the new accounts' initial passwords wait here
    for one download."""

    class State(models.TextChoices):
        CHECKING = "checking", "正在检查"
        CHECKED = "checked", "检查完，没有问题"
        INVALID = "invalid", "有要改正的地方"
        REFUSED = "refused", "文件读不了"
        WRITING = "writing", "正在写入"
        DONE = "done", "已导入"

    uploaded_by = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="roster_uploads", verbose_name="上传人"
    )
    filename = models.CharField("文件名", max_length=200)
    content = models.BinaryField("文件内容")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)
    imported_at = models.DateTimeField("导入时间", null=True, blank=True)
    created_count = models.PositiveIntegerField("新建", default=0)
    updated_count = models.PositiveIntegerField("更新", default=0)
    passwords_xlsx = models.BinaryField("初始密码表", null=True, blank=True)
    # Checking and writing run in a task (accounts.tasks); the page shows where it is from
    # these columns, so a reload or another tab sees the same progress.
    state = models.CharField("进度", max_length=10, choices=State.choices, default=State.CHECKING)
    rows_total = models.PositiveIntegerField("总行数", default=0)
    rows_checked = models.PositiveIntegerField("已检查", default=0)
    rows_written = models.PositiveIntegerField("已写入", default=0)
    problem = models.TextField("文件问题", blank=True)  # the file as a whole cannot be read
    errors = models.JSONField("每行的问题", default=list, blank=True)  # [[line, message], ...]
    preview = models.JSONField("前几行", default=list, blank=True)
    new_count = models.PositiveIntegerField("将新建", default=0)
    # The queued check or write (its result in the task backend): the page says so when it failed.
    task_id = models.CharField("后台任务", max_length=64, blank=True)

    class Meta:
        verbose_name = "花名册导入"
        verbose_name_plural = "花名册导入"
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.filename


class HelperConsent(models.Model):
    """A retiree's recorded consent that a family member or staff member may act for them
    (代办). Staff record it; revoking it ends any helping at once."""

    class Given(models.TextChoices):
        WRITTEN = "written", "书面签字"
        IN_PERSON = "in_person", "当面口头同意"
        PHONE = "phone", "电话同意"

    retiree = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="helpers_allowed", verbose_name="军休干部"
    )
    helper = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="may_help", verbose_name="代办人"
    )
    relation = models.CharField("关系", max_length=30, help_text="例如：儿子、老伴、包户工作人员")
    given = models.CharField("同意方式", max_length=12, choices=Given.choices)
    note = models.CharField("说明", max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="登记人"
    )
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)

    class Meta:
        verbose_name = "代办授权"
        verbose_name_plural = "代办授权"
        ordering = ["-recorded_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["retiree", "helper"],
                condition=Q(revoked_at__isnull=True),
                name="one_active_consent_per_helper",
            ),
            models.CheckConstraint(condition=~Q(retiree=F("helper")), name="no_self_helping"),
        ]

    def __str__(self) -> str:
        return f"{self.helper} 代 {self.retiree}"


class HelperAction(models.Model):
    """One thing done in 代为操作 mode: who, for whom, what, when. Staff of the retiree's
    institution and the retiree see these."""

    retiree = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="helped_actions", verbose_name="军休干部"
    )
    helper = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="代办人"
    )
    helper_name = models.CharField("代办人姓名", max_length=50)
    action = models.CharField("做了什么", max_length=200)
    path = models.CharField("页面", max_length=300)
    at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "代办记录"
        verbose_name_plural = "代办记录"
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["retiree", "at"])]

    def __str__(self) -> str:
        return f"{self.helper_name} 代 {self.retiree}：{self.action}"


class FailedLogin(models.Model):
    """One wrong password (or unknown account). Enough of them lock the account name for a
    while, or make its next try from the same address wait (accounts.selectors.login_refusal)."""

    IDENTIFIER_LENGTH = 50

    identifier = models.CharField("手机号或账号", max_length=IDENTIFIER_LENGTH, db_index=True)
    address = models.GenericIPAddressField("来源地址", null=True, blank=True)
    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "登录失败记录"
        verbose_name_plural = "登录失败记录"
        indexes = [models.Index(fields=["address", "at"])]

    def __str__(self) -> str:
        return f"{self.identifier} · {self.at}"

    @classmethod
    def key(cls, identifier: str) -> str:
        """What is stored, and looked up, for an account name as typed."""
        return identifier.strip()[: cls.IDENTIFIER_LENGTH]


class PersonalDataAccess(models.Model):
    """One look at, or export of, other people's personal data (phone numbers, addresses, care
    flags): who, when, which page, whose. PIPL asks that such access can be reviewed; staff of
    the people's institution review it under 个人信息查看记录."""

    class Action(models.TextChoices):
        VIEW = "view", "查看"
        EXPORT = "export", "导出"

    viewer = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="查看人"
    )
    viewer_name = models.CharField("查看人姓名", max_length=50)
    action = models.CharField("方式", max_length=10, choices=Action.choices)
    what = models.CharField("看了什么", max_length=200)
    path = models.CharField("页面", max_length=300)
    subjects = models.ManyToManyField(
        User, related_name="personal_data_accesses", verbose_name="涉及的人"
    )
    subject_count = models.PositiveIntegerField("涉及人数")
    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "个人信息查看记录"
        verbose_name_plural = "个人信息查看记录"
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.viewer_name} {self.get_action_display()} {self.what}"


class PushSubscription(models.Model):
    """A device where the person turned on 手机提醒 (the browser's Push API subscription)."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="push_subscriptions", verbose_name="用户"
    )
    endpoint = models.URLField("推送地址", max_length=1000, unique=True)
    p256dh = models.CharField("公钥", max_length=200)
    auth = models.CharField("认证密钥", max_length=100)
    created_at = models.DateTimeField("开启时间", auto_now_add=True)

    class Meta:
        verbose_name = "手机提醒设备"
        verbose_name_plural = "手机提醒设备"

    def __str__(self) -> str:
        return f"{self.user} · {self.created_at:%Y-%m-%d}"
