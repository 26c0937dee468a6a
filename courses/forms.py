from django import forms

from .models import CourseEvaluation

STAR_CHOICES = [(n, f"{n} 星") for n in range(5, 0, -1)]


class EvaluationForm(forms.Form):
    course_stars = forms.TypedChoiceField(
        label="这门课您满意吗？",
        choices=STAR_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "请为课程选一个星级。"},
    )
    instructor_stars = forms.TypedChoiceField(
        label="对老师满意吗？",
        choices=STAR_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "请为老师选一个星级。"},
    )
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
