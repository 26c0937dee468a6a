"""The staff workspace's retiree pages, inside the Wagtail admin, scoped to the staff
member's institution subtree. Staff of one 军休所 never reach another's people: the list is
filtered and every single-object view answers 404 for someone outside the subtree."""

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.views.generic import history, usage
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from . import audit_views, duty_views, helper_views, login_help_views, roster_views
from .admin_scope import StaffMenuItem, in_scope_only
from .forms import RetireeProfileAdminForm
from .models import RetireeProfile
from .permissions import can_manage_retirees, manages_institution
from .selectors import retiree_profiles_visible_to
from .services import record_personal_data_access


class RetireePermissionPolicy(ModelPermissionPolicy):
    def user_has_permission(self, user, action):
        if action == "delete":
            # Staff deactivate accounts; deleting a person's record is for administrators.
            return user.is_active and user.is_superuser
        return can_manage_retirees(user) and super().user_has_permission(user, action)

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action) and manages_institution(
            user, instance.user.institution
        )

    def instances_user_has_any_permission_for(self, user, actions):
        if any(self.user_has_permission(user, action) for action in actions):
            return retiree_profiles_visible_to(user)
        return RetireeProfile.objects.none()


retiree_policy = RetireePermissionPolicy(RetireeProfile)
register_permission_policy(RetireeProfile, retiree_policy)


def in_subtree_only(view_class: type, *, lists: bool = True) -> type:
    return in_scope_only(view_class, retiree_profiles_visible_to, "Retiree", lists=lists)


class RecordsPersonalDataShown:
    """Retiree pages show phone numbers, addresses and care flags: every showing is written to
    个人信息查看记录 (a list page records the people on that page)."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if "object_list" in context:
            what, people = "军休干部名单", [profile.user_id for profile in context["object_list"]]
        else:
            what, people = f"{self.object.user.name}的资料", [self.object.user_id]
        record_personal_data_access(
            self.request.user, what, people, path=self.request.get_full_path()
        )
        return context


def recorded(view_class: type) -> type:
    return type(view_class.__name__, (RecordsPersonalDataShown, view_class), {})


class RetireeCreateView(generic.CreateView):
    def get_success_message(self, instance):
        return (
            f"已登记 {instance.user.name}。登录账号是手机号 {instance.user.phone}，"
            f"初始密码是 {self.form.initial_password}，请抄下交给本人。"
        )


class RetireeViewSet(ModelViewSet):
    model = RetireeProfile
    icon = "group"
    menu_label = "军休干部"
    menu_order = 210
    add_to_admin_menu = True
    name = "retirees"
    url_prefix = "retirees"
    copy_view_enabled = False
    inspect_view_enabled = True
    list_display = [
        "user",  # the first column links to the edit page
        Column("phone", label="手机号", accessor="user.phone"),
        Column("institution", label="所属机构", accessor="user.institution"),
        "retirement",
        "rank",
        Column(
            "care_flags",
            label="关怀标记",
            accessor=lambda profile: "、".join(profile.care_flag_labels) or "无",
        ),
    ]
    list_filter = ["retirement", "rank", "very_old", "living_alone", "disabled"]
    search_fields = ["user__name", "user__phone"]
    ordering = ["user__institution__path", "user__name"]
    inspect_view_fields = [
        "user",
        "retirement",
        "rank",
        "birth_year",
        "address",
        "emergency_contact_name",
        "emergency_contact_phone",
        "disabled",
        "dementia",
        "seriously_ill",
        "very_old",
        "living_alone",
        "empty_nest",
        "notes",
        "assigned_staff",
    ]
    index_view_class = recorded(in_subtree_only(generic.IndexView))
    add_view_class = RetireeCreateView
    edit_view_class = recorded(in_subtree_only(generic.EditView))
    inspect_view_class = recorded(in_subtree_only(generic.InspectView))
    delete_view_class = in_subtree_only(generic.DeleteView)
    history_view_class = in_subtree_only(history.HistoryView, lists=False)
    usage_view_class = in_subtree_only(usage.UsageView, lists=False)

    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [FieldPanel("name"), FieldPanel("phone"), FieldPanel("institution")], heading="账号"
            ),
            MultiFieldPanel(
                [
                    FieldRowPanel([FieldPanel("retirement"), FieldPanel("rank")]),
                    FieldPanel("birth_year"),
                    FieldPanel("address"),
                    FieldRowPanel(
                        [
                            FieldPanel("emergency_contact_name"),
                            FieldPanel("emergency_contact_phone"),
                        ]
                    ),
                ],
                heading="基本情况",
            ),
            MultiFieldPanel(
                [
                    FieldRowPanel(
                        [
                            FieldPanel("disabled"),
                            FieldPanel("dementia"),
                            FieldPanel("seriously_ill"),
                        ]
                    ),
                    FieldRowPanel(
                        [
                            FieldPanel("very_old"),
                            FieldPanel("living_alone"),
                            FieldPanel("empty_nest"),
                        ]
                    ),
                    FieldPanel("notes"),
                    FieldPanel("assigned_staff"),
                ],
                heading="关怀标记（仅本机构工作人员可见）",
            ),
        ],
        base_form_class=RetireeProfileAdminForm,
    )


@hooks.register("register_admin_viewset")
def register_retiree_viewset():
    return RetireeViewSet()


@hooks.register("register_admin_urls")
def register_roster_urls():
    return [
        path("roster/", roster_views.roster_upload, name="roster_upload"),
        path("roster/template/", roster_views.roster_template, name="roster_template"),
        path("roster/<int:upload_id>/", roster_views.roster_preview, name="roster_preview"),
        path("roster/<int:upload_id>/done/", roster_views.roster_done, name="roster_done"),
        path(
            "roster/<int:upload_id>/passwords/",
            roster_views.roster_passwords,
            name="roster_passwords",
        ),
        path("login-help/", login_help_views.login_help, name="login_help"),
        path("login-help/<int:user_id>/unlock/", login_help_views.unlock, name="unlock_account"),
        path("login-help/reset/", login_help_views.reset_password, name="reset_password"),
        path("personal-data-log/", audit_views.personal_data_log, name="personal_data_log"),
        path("duty/", duty_views.duty_contacts, name="duty_contacts"),
        path("duty/<int:institution_id>/", duty_views.save_duty_contact, name="save_duty_contact"),
        path("helpers/", helper_views.helper_consents, name="helper_consents"),
        path(
            "helpers/<int:consent_id>/revoke/", helper_views.revoke_consent, name="revoke_consent"
        ),
    ]


@hooks.register("register_admin_menu_item")
def register_roster_menu_item():
    return StaffMenuItem("导入花名册", reverse("roster_upload"), icon_name="upload", order=215)


@hooks.register("register_admin_menu_item")
def register_helper_menu_item():
    return StaffMenuItem("代办授权", reverse("helper_consents"), icon_name="user", order=220)


@hooks.register("register_admin_menu_item")
def register_duty_menu_item():
    return StaffMenuItem("值班电话", reverse("duty_contacts"), icon_name="user", order=225)


@hooks.register("register_admin_menu_item")
def register_login_help_menu_item():
    return StaffMenuItem("登录求助", reverse("login_help"), icon_name="lock", order=223)


@hooks.register("register_admin_menu_item")
def register_personal_data_log_menu_item():
    return StaffMenuItem(
        "个人信息查看记录", reverse("personal_data_log"), icon_name="view", order=228
    )
