from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "oversight.accounts"
    label = "accounts"
    verbose_name = "Users and roles, managed by the administrator"

    def ready(self) -> None:
        from django.contrib.auth import signals

        from . import security

        signals.user_logged_in.connect(security.on_signed_in, dispatch_uid="oversight-signed-in")
        signals.user_login_failed.connect(security.on_failed, dispatch_uid="oversight-sign-in-failed")
        signals.user_logged_out.connect(security.on_signed_out, dispatch_uid="oversight-signed-out")
