from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation


class CookieLanguageMiddleware:
    """Chinese unless the visitor chose English with the language switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language, and many retirees'
    tablets are set to English without their knowing it.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.available = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, settings.LANGUAGE_CODE)
        if language not in self.available:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class FirstPasswordMiddleware:
    """Someone logged in with a password staff handed out is sent to choose their own first;
    only that page, logging out and the language and 长辈模式 switches stay open."""

    OPEN_PREFIXES = ("/static/", "/media/", "/i18n/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.must_change_password:
            open_paths = {
                reverse("accounts:first_password"),
                reverse("accounts:logout"),
                reverse("accounts:elder_mode"),
            }
            if request.path not in open_paths and not request.path.startswith(self.OPEN_PREFIXES):
                return redirect("accounts:first_password")
        return self.get_response(request)
