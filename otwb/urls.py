from django.urls import path

from .views import coverage, home, planner, registrations, sessions, trainers, trajecten

app_name = "otwb"

urlpatterns = [
    path("", home.home, name="home"),
    path("trajecten/", trajecten.traject_list, name="traject_list"),
    path("trajecten/<int:pk>/", trajecten.traject_detail, name="traject_detail"),
    path("trajecten/<int:pk>/status/", trajecten.traject_transition, name="traject_transition"),
    path("trajecten/<int:pk>/contact/", trajecten.traject_contact, name="traject_contact"),
    path("trajecten/<int:pk>/brief.pdf", trajecten.invitation_letter, name="invitation_letter"),
    path("trajecten/<int:pk>/voorgesprek/", trajecten.voorgesprek_plan, name="voorgesprek_plan"),
    path("trajecten/<int:pk>/afspraken/", trajecten.agreement_add, name="agreement_add"),
    path("voorgesprekken/<int:pk>/", trajecten.voorgesprek_record, name="voorgesprek_record"),
    path("afspraken/<int:pk>/afgerond/", trajecten.agreement_done, name="agreement_done"),
    path("sessies/", sessions.session_list, name="session_list"),
    path("sessies/nieuw/", sessions.session_create, name="session_create"),
    path("sessies/<int:pk>/", sessions.session_detail, name="session_detail"),
    path("sessies/<int:pk>/status/", sessions.session_transition, name="session_transition"),
    path("sessies/<int:pk>/annuleren/", sessions.session_cancel, name="session_cancel"),
    path("sessies/<int:pk>/verplaatsen/", sessions.session_reschedule, name="session_reschedule"),
    path("sessies/<int:pk>/agenda.ics", sessions.session_ics, name="session_ics"),
    path("sessies/<int:pk>/evaluatie/", sessions.evaluate, name="evaluate"),
    path("sessies/<int:pk>/planner/", planner.planner, name="planner"),
    path("sessies/<int:pk>/aanmelden/", registrations.register, name="register"),
    path("inzet/<int:pk>/verwijderen/", planner.assignment_remove, name="assignment_remove"),
    path(
        "aanmeldingen/<int:pk>/intrekken/",
        registrations.registration_cancel,
        name="registration_cancel",
    ),
    path("evaluatie/<str:token>/", sessions.evaluate_named, name="evaluate_named"),
    path("evaluaties/", sessions.evaluation_results, name="evaluation_results"),
    path("trainers/", trainers.trainer_list, name="trainer_list"),
    path("trainers/nieuw/", trainers.trainer_create, name="trainer_create"),
    path("trainers/<int:pk>/", trainers.trainer_edit, name="trainer_edit"),
    path("mijn-agenda/", trainers.my_agenda, name="my_agenda"),
    path("mijn-agenda/beschikbaarheid/", trainers.my_availability, name="my_availability"),
    path("mijn-agenda/link/", trainers.feed_token, name="feed_token"),
    path("agenda/<str:token>.ics", trainers.feed, name="feed"),
    path("dekking/", coverage.coverage_view, name="coverage"),
]
