from django.urls import path

from . import views

app_name = "institutions"
urlpatterns = [
    path("", views.index, name="index"),
    path("bodies/<str:body>/", views.body_view, name="body"),
    path("bodies/<str:body>/appoint/", views.appoint, name="appoint"),
    path("appointments/<int:pk>/end/", views.end, name="end"),
    path("appointments/<int:pk>/confirm/", views.confirm, name="confirm"),
    path("appointments/<int:pk>/residency/", views.residency, name="residency"),
    path("appointments/<int:pk>/removal/", views.removal, name="removal"),
    path("removals/<int:pk>/", views.removal_step, name="removal_step"),
    path("staffing/", views.staffing, name="staffing"),
    path("staffing/staff/", views.add_staff, name="add_staff"),
    path("staffing/training/", views.training, name="training"),
    path("staffing/evaluation/", views.evaluation, name="evaluation"),
    path("staffing/vacancies/", views.vacancy, name="vacancy"),
    path("staffing/vacancies/<int:pk>/volunteer/", views.volunteer, name="volunteer"),
    path("staffing/vacancies/<int:pk>/list/", views.give_list, name="give_list"),
    path("staffing/vacancies/<int:pk>/select/", views.select, name="select"),
    path("scenes/", views.scenes, name="scenes"),
    path("scenes/<int:pk>/", views.follow_up, name="follow_up"),
    path("reviews/", views.reviews, name="reviews"),
    path("integrity-referrals/", views.integrity, name="integrity"),
    path("integrity-referrals/<int:pk>/open/", views.open_referral, name="open_referral"),
    path("reports-to-oig/", views.oig_reports, name="oig_reports"),
    path("reports-to-oig/<int:pk>/", views.answer_report, name="answer_report"),
    path("advice/", views.advice, name="advice"),
    path("advice/<int:pk>/", views.answer_advice, name="answer_advice"),
    path("records-withheld/", views.withheld, name="withheld"),
]
