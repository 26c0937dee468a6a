from django import forms
from wagtail.admin.forms import WagtailAdminPageForm

from accounts.models import Institution, User


class NoticePageForm(WagtailAdminPageForm):
    """Audience choices limited to the publishing institution's own subtree, and checked."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        publisher = self.publishing_institution()
        institutions = Institution.objects.none()
        retirees = User.objects.none()
        if publisher is not None:
            institutions = publisher.subtree()
            retirees = User.objects.filter(
                role=User.Role.RETIREE,
                is_active=True,
                institution__path__startswith=publisher.path,
            ).order_by("institution__path", "name")
        self.fields["audience"].widget = forms.RadioSelect(choices=self.fields["audience"].choices)
        self.fields["audience_institutions"].queryset = institutions
        self.fields["audience_institutions"].widget = forms.CheckboxSelectMultiple(
            choices=self.fields["audience_institutions"].choices
        )
        self.fields["audience_institutions"].help_text = "“发给谁”选“选定的机构”时勾选。"
        self.fields["audience_retirees"].queryset = retirees
        self.fields["audience_retirees"].label_from_instance = lambda person: (
            f"{person.name}（{person.institution.name}）"
        )
        self.fields["audience_retirees"].widget.attrs["size"] = 12
        self.fields[
            "audience_retirees"
        ].help_text = "“发给谁”选“选定的军休干部”时选择；按住 Ctrl 键可以多选。"

    def publishing_institution(self) -> Institution | None:
        parent = self.parent_page
        if parent is None and self.instance.pk:
            parent = self.instance.get_parent()
        return getattr(parent.specific, "institution", None) if parent else None

    def clean(self):
        cleaned = super().clean()
        audience = cleaned.get("audience")
        if audience == "institutions" and not cleaned.get("audience_institutions"):
            self.add_error("audience_institutions", "请至少勾选一个机构。")
        if audience == "retirees" and not cleaned.get("audience_retirees"):
            self.add_error("audience_retirees", "请至少选择一位军休干部。")
        if self.publishing_institution() is None:
            raise forms.ValidationError("通知要发布在某个机构的通知栏目下面。")
        return cleaned


class ConveyanceForm(forms.Form):
    method = forms.ChoiceField(
        label="告知方式",
        choices=[("phone", "已电话告知"), ("visit", "已上门告知")],
        error_messages={"required": "请选择告知方式。", "invalid_choice": "请选择告知方式。"},
    )
    note = forms.CharField(label="备注", max_length=200, required=False)
