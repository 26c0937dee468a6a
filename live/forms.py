from django import forms
from django.conf import settings
from wagtail.admin.forms import WagtailAdminModelForm

from accounts.models import User
from courses.forms import star_field
from courses.models import CoursePage


class LiveClassForm(WagtailAdminModelForm):
    """Courses offered are the ones this teacher or staff member runs."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        courses = CoursePage.objects.all()
        if user is not None and not user.is_platform_admin:
            if user.is_institution_staff and user.institution_id:
                courses = courses.filter(institution__path__startswith=user.institution.path)
            else:
                courses = courses.filter(instructors=user)
        # A plain list of the teacher's own courses, not Wagtail's page chooser over the site.
        self.fields["course"].widget = forms.Select()
        self.fields["course"].queryset = courses.order_by("title")
        self.fields["instructor"].queryset = User.objects.filter(role=User.Role.INSTRUCTOR)

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", "结束时间要晚于开始时间。")
        course, limit = cleaned.get("course"), settings.LIVE_WEBRTC_MAX_PARTICIPANTS
        if cleaned.get("video") == "webrtc" and course and course.capacity > limit:
            self.add_error(
                "video",
                f"这门课最多 {course.capacity} 人，浏览器直播只适合 {limit} 人以内的小班；"
                "请选“直播服务的播放地址”，由老师用 OBS 推流。",
            )
        if cleaned.get("video") == "hls" and not cleaned.get("hls_url"):
            self.add_error("hls_url", "用直播服务时，请填上播放地址（以 .m3u8 结尾）。")
        return cleaned


class ClassRatingForm(forms.Form):
    stars = star_field("这节课您满意吗？", "请选一个星级。")
