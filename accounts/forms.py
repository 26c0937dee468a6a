import math

from django import forms
from django.conf import settings
from django.contrib.auth import authenticate, password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm

from .addresses import client_address
from .models import HelperConsent, Institution, RetireeProfile, User, mobile_validator
from .selectors import (
    LoginRefusal,
    institutions_managed_by,
    login_refusal,
    retiree_profiles_visible_to,
    staff_of,
)
from .services import generate_initial_password, save_retiree


class LoginRefusalMessages:
    """For a login form: when accounts.backends refuses an attempt whatever the password (a
    locked account, or a wait), say so in plain Chinese instead of "wrong password"."""

    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username and password:
            # Looked up before authenticate() records this attempt, for the message only: the
            # backend enforces the lock.
            refusal = login_refusal(username, client_address(self.request))
            self.user_cache = authenticate(self.request, username=username, password=password)
            if self.user_cache is None:
                if refusal is not None:
                    raise forms.ValidationError(refusal_message(username, refusal), code="locked")
                raise self.get_invalid_login_error()
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


def refusal_message(username: str, refusal: LoginRefusal) -> str:
    if refusal.locked:
        return LoginForm.locked_message(username)
    if refusal.seconds < 120:
        wait = _("%(seconds)s 秒") % {"seconds": refusal.seconds}
    else:
        wait = _("%(minutes)s 分钟") % {"minutes": math.ceil(refusal.seconds / 60)}
    return _("密码连着错了几次。请等 %(wait)s再试，慢慢输入。") % {"wait": wait}


class LoginForm(LoginRefusalMessages, AuthenticationForm):
    """Mobile number or account name, and password, with plain Chinese errors."""

    username = forms.CharField(
        label=_("手机号或账号"),
        max_length=50,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
        error_messages={"required": _("请填写手机号或账号。")},
    )
    password = forms.CharField(
        label=_("密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("请填写密码。")},
    )

    error_messages = {
        "invalid_login": _("手机号（账号）或密码不对。请再看一下，或拨打值班电话请工作人员帮您。"),
        "inactive": _("这个账号已停用。请拨打值班电话联系工作人员。"),
    }

    @staticmethod
    def locked_message(username: str) -> str:
        user = User.objects.filter(Q(username=username) | Q(phone=username)).first()
        phone = ""
        if user is not None and user.institution_id:
            phone = user.institution.duty_contact()[0]
        return _(
            "密码错了好几次，为了保护您的账号，先锁住%(minutes)s分钟。"
            "过一会儿再试，或者打值班电话 %(phone)s 请工作人员马上帮您解锁。"
        ) % {"minutes": settings.LOGIN_LOCK_MINUTES, "phone": phone or settings.PLATFORM_HELP_PHONE}


class AdminLoginForm(LoginRefusalMessages, WagtailLoginForm):
    """Wagtail's admin login (WAGTAILADMIN_USER_LOGIN_FORM), with the site's lock messages and
    the site's words for its fields (Wagtail leaves the password without a label)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("手机号或账号")
        self.fields["username"].widget.attrs["placeholder"] = _("输入手机号或账号")
        self.fields["password"].label = _("密码")


class InstitutionChoiceField(forms.ModelChoiceField):
    """Institutions in tree order, indented by depth, so 服务站 sit under their 军休所."""

    def label_from_instance(self, institution: Institution) -> str:
        return "　" * (institution.depth - 1) + institution.name


class RetireeProfileAdminForm(WagtailAdminModelForm):
    """Staff edit a retiree's account fields (name, phone, institution) and profile together.
    The institution list holds only the staff member's own subtree."""

    name = forms.CharField(label="姓名", max_length=50)
    phone = forms.CharField(
        label="手机号", max_length=11, validators=[mobile_validator], help_text="也是登录账号。"
    )
    institution = InstitutionChoiceField(
        label="所属机构", queryset=Institution.objects.none(), empty_label="请选择"
    )

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        self.fields["institution"].queryset = institutions_managed_by(for_user).order_by("path")
        if "assigned_staff" in self.fields:
            self.fields["assigned_staff"].queryset = staff_of(
                institutions_managed_by(for_user)
            ).order_by("name")
        if self.instance.pk:
            user = self.instance.user
            self.initial.update(name=user.name, phone=user.phone, institution=user.institution)
        self.initial_password: str | None = None

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"]
        others = User.objects.filter(Q(phone=phone) | Q(username=phone))
        if self.instance.pk:
            others = others.exclude(pk=self.instance.user_id)
        if others.exists():
            raise forms.ValidationError("这个手机号已经登记过，请核对。")
        return phone

    def save(self, commit: bool = True) -> RetireeProfile:
        profile_fields = {
            name: self.cleaned_data[name]
            for name in self._meta.fields
            if name not in {"name", "phone", "institution"}
        }
        is_new = not self.instance.pk
        if is_new:
            self.initial_password = generate_initial_password()
        else:
            user = self.instance.user
            # The phone number is also the account name; changing one changes both.
            if user.username == user.phone:
                user.username = self.cleaned_data["phone"]
                user.save(update_fields=["username"])
        self.instance = save_retiree(
            name=self.cleaned_data["name"],
            phone=self.cleaned_data["phone"],
            institution=self.cleaned_data["institution"],
            password=self.initial_password,
            keep_password=not is_new,
            **profile_fields,
        )
        if is_new:  # the password staff read out is replaced at first login
            User.objects.filter(pk=self.instance.user_id).update(must_change_password=True)
        return self.instance


class FirstPasswordForm(forms.Form):
    new_password = forms.CharField(
        label=_("新密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("至少6位，数字或字母都行，例如您记得住的6位数字。不要用123456。"),
        error_messages={"required": _("请输入新密码。")},
    )
    new_password_again = forms.CharField(
        label=_("再输入一次新密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": _("请再输入一次新密码。")},
    )

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_new_password(self) -> str:
        password = self.cleaned_data["new_password"]
        try:
            password_validation.validate_password(password, self.user)
        except ValidationError as problem:
            message = _("这个密码太简单了。请至少6位，不要用123456这类常见的。")
            raise ValidationError(message) from problem
        if self.user.check_password(password):
            raise ValidationError(_("新密码不能和工作人员发的初始密码一样。"))
        return password

    def clean(self):
        cleaned = super().clean()
        first, again = cleaned.get("new_password"), cleaned.get("new_password_again")
        if first and again and first != again:
            self.add_error("new_password_again", _("两次输入的不一样，请再输入一次。"))
        return cleaned


class HelperConsentForm(forms.Form):
    retiree = forms.ModelChoiceField(
        label="军休干部", queryset=User.objects.none(), empty_label="请选择",
        error_messages={"required": "请选一位军休干部。", "invalid_choice": "请选一位军休干部。"},
    )  # fmt: skip
    helper_phone = forms.CharField(
        label="代办人手机号", max_length=11, validators=[mobile_validator],
        help_text="没有账号的家属会自动开一个家属账号（登录名是这个手机号）。",
        error_messages={"required": "请填代办人的手机号。"},
    )  # fmt: skip
    helper_name = forms.CharField(
        label="代办人姓名", max_length=50, error_messages={"required": "请填代办人的姓名。"}
    )
    relation = forms.CharField(
        label="关系", max_length=30, help_text="例如：儿子、老伴、包户工作人员",
        error_messages={"required": "请填代办人和军休干部的关系。"},
    )  # fmt: skip
    given = forms.ChoiceField(label="本人怎么同意的", choices=HelperConsent.Given.choices)
    note = forms.CharField(label="说明", max_length=200, required=False)

    def __init__(self, *args, staff: User, **kwargs):
        super().__init__(*args, **kwargs)
        visible = retiree_profiles_visible_to(staff).values("user_id")
        self.fields["retiree"].queryset = User.objects.filter(pk__in=visible).order_by("name")


class DutyContactForm(forms.ModelForm):
    class Meta:
        model = Institution
        fields = ["duty_phone", "duty_roster"]
        widgets = {"duty_roster": forms.Textarea(attrs={"rows": 3})}
