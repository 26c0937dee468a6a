from django import forms

from .models import CourseEvaluation, LessonMedia

STAR_CHOICES = [(n, f"{n} 星") for n in range(5, 0, -1)]


def star_field(label: str, required_message: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=STAR_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": required_message},
    )


class EvaluationForm(forms.Form):
    course_stars = star_field("这门课您满意吗？", "请为课程选一个星级。")
    instructor_stars = star_field("对老师满意吗？", "请为老师选一个星级。")
    comment = forms.CharField(
        label="还有什么想说的（可以不填）",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "意见请写在 500 字以内。"},
    )

    @classmethod
    def for_existing(
        cls, evaluation: CourseEvaluation | None, draft: dict | None
    ) -> "EvaluationForm":
        if draft:
            return cls(draft)
        if evaluation:
            return cls(
                initial={
                    "course_stars": evaluation.course_stars,
                    "instructor_stars": evaluation.instructor_stars,
                    "comment": evaluation.comment,
                }
            )
        return cls()


class LessonMediaUploadForm(forms.ModelForm):
    """Uploading a lesson video or audio from the lesson editor's chooser."""

    # The form sits inside the page editor, whose own fields already use id_title.
    prefix = "media-upload"

    class Meta:
        model = LessonMedia
        fields = ["title", "kind", "file", "captions", "transcript"]
        widgets = {"transcript": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"title": "学员在课时页上看到的名称，例如“握笔示范”。"}
        error_messages = {
            "title": {"required": "请写上名称。"},
            "file": {"required": "请先选好要上传的视频或音频文件。"},
        }
