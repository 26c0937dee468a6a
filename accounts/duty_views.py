"""值班电话 and 值班安排: staff keep their institutions' duty contacts, which every page
footer, the help page and 我的 show to that institution's retirees."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from .forms import DutyContactForm
from .permissions import require_retiree_manager
from .selectors import institutions_managed_by


def duty_contacts(request: HttpRequest) -> HttpResponse:
    require_retiree_manager(request.user)
    institutions = institutions_managed_by(request.user).order_by("path")
    rows = [
        (place, DutyContactForm(instance=place, prefix=str(place.pk))) for place in institutions
    ]
    return render(
        request,
        "accounts/admin/duty_contacts.html",
        {"rows": rows, "page_title": "值班电话", "header_icon": "user"},
    )


@require_POST
def save_duty_contact(request: HttpRequest, institution_id: int) -> HttpResponse:
    require_retiree_manager(request.user)
    place = institutions_managed_by(request.user).filter(pk=institution_id).first()
    if place is None:
        raise Http404
    form = DutyContactForm(request.POST, instance=place, prefix=str(place.pk))
    if not form.is_valid():
        problems = "；".join(error for errors in form.errors.values() for error in errors)
        messages.error(request, f"{place.name}没有保存：{problems}")
        return redirect("duty_contacts")
    form.save()
    messages.success(request, f"已保存{place.name}的值班电话和值班安排。")
    return redirect("duty_contacts")
