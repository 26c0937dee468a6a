from django import forms
from django.contrib.auth import authenticate, password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from .models import Institution, RetireeProfile, User, mobile_validator
from .selectors import institutions_managed_by, staff_of
from .services import generate_initial_password, save_retiree


class LoginForm(AuthenticationForm):
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

    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username and password:
            self.user_cache = authenticate(self.request, username=username, password=password)
            if self.user_cache is None:
                raise forms.ValidationError(
                    self.error_messages["invalid_login"], code="invalid_login"
                )
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


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
