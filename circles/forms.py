"""Forms of a study circle's pages: posting a work, commenting on one."""

from django import forms


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return [super().clean(data, initial)] if data else []


class WorkForm(forms.Form):
    title = forms.CharField(
        label="作品名称",
        max_length=60,
        error_messages={"required": "请写上作品名称。", "max_length": "作品名称最多 60 个字。"},
    )
    description = forms.CharField(
        label="说几句（可以不写）",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "说明最多 500 个字。"},
    )
    files = MultipleFileField(
        label="照片、录音或录像（可以选几个）",
        widget=MultipleFileInput(attrs={"accept": "image/*,audio/*,video/*"}),
        error_messages={"required": "请至少选一张照片或一段录音、录像。"},
    )


class CommentForm(forms.Form):
    text = forms.CharField(
        label="写评论",
        max_length=300,
        error_messages={"required": "评论不能是空的。", "max_length": "评论最多 300 个字。"},
    )
