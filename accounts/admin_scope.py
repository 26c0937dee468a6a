"""Admin views that show each staff member or instructor only their own objects. Lists are
filtered; one object outside the scope is 'not found', not 'forbidden', so that guessing ids
reveals nothing."""

from collections.abc import Callable

from django.db.models import QuerySet
from django.http import Http404
from wagtail.admin.menu import MenuItem

from .permissions import can_manage_retirees


def in_scope_only(
    view_class: type, visible_to: Callable[..., QuerySet], name: str, *, lists: bool = True
) -> type:
    """`lists=False` for views whose own list is something else (an object's history or
    usages): only the object is checked."""

    def get_base_queryset(self):
        return visible_to(self.request.user)

    def get_object(self, *args, **kwargs):
        obj = super(scoped, self).get_object(*args, **kwargs)
        if obj is not None and not visible_to(self.request.user).filter(pk=obj.pk).exists():
            raise Http404
        return obj

    overrides = {"get_object": get_object}
    if lists:
        overrides["get_base_queryset"] = get_base_queryset
    scoped = type(f"{name}{view_class.__name__}", (view_class,), overrides)
    return scoped


class StaffMenuItem(MenuItem):
    """A workspace menu entry shown to institution staff (and platform admins) only."""

    def is_shown(self, request):
        return can_manage_retirees(request.user)
