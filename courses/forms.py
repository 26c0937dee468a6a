from django import forms

from .models import CourseEvaluation

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
