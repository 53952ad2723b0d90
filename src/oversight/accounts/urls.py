from django.urls import path

from . import second_factor, views

app_name = "accounts"
urlpatterns = [
    path("", views.users, name="users"),
    path("new/", views.new, name="new"),
    path("sign-ins/", second_factor.sign_ins, name="sign_ins"),
    path("<int:pk>/", views.person, name="person"),
    path("<int:pk>/roles/", views.set_roles, name="roles"),
    path("<int:pk>/details/", views.details, name="details"),
    path("<int:pk>/deactivate/", views.deactivate, name="deactivate"),
    path("<int:pk>/reactivate/", views.reactivate, name="reactivate"),
    path("<int:pk>/password-link/", views.password_link, name="password_link"),
    path("<int:pk>/second-factor/reset/", views.reset_second_factor, name="reset_second_factor"),
    path("password/done/", views.PasswordSetDone.as_view(), name="password_set_done"),
    path("password/<uidb64>/<token>/", views.PasswordSetConfirm.as_view(), name="password_set_confirm"),
]
