from django import forms
from django.utils import timezone

from .models import CareContact


class CareContactForm(forms.Form):
    method = forms.ChoiceField(label="方式", choices=CareContact.Method.choices)
    contacted_on = forms.DateField(
        label="联系日期",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": "请填联系日期。", "invalid": "日期格式不对，例如 2026-11-28。"},
    )
    note = forms.CharField(label="情况记录", max_length=300, required=False)

    def clean_contacted_on(self):
        day = self.cleaned_data["contacted_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("联系日期不能是以后的日子。")
        return day
