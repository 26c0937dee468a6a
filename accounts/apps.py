from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "账号与机构"

    def ready(self) -> None:
        from .csrf_tokens import make_django_use_random_csrf_string

        make_django_use_random_csrf_string()
