from django.urls import path

from .views import (
    case,
    case_letters,
    dashboard,
    export,
    files,
    filing,
    local_protocol,
    protocol,
    readiness,
    reporter,
    sent,
)

app_name = "incidents"

urlpatterns = [
    path("", reporter.MyListView.as_view(), name="mine"),
    path("nieuw/", filing.new, name="new"),
    path("<int:pk>/bewerken/", filing.edit, name="edit"),
    path("<int:pk>/", case.detail, name="case"),
    path("<int:pk>/verstuurd/", sent.sent, name="sent"),
    path("<int:pk>/intrekken/", reporter.withdraw, name="withdraw"),
    path("<int:pk>/opnieuw-indienen/", reporter.resubmit, name="resubmit"),
    path("<int:pk>/bericht/", reporter.message, name="message"),
    path("<int:pk>/bijlagen/", files.upload, name="upload"),
    path("bijlage/<int:pk>/", files.download, name="attachment"),
    path("<int:pk>/status/", case.transition, name="transition"),
    path("<int:pk>/beoordeling/", case.beoordeling, name="beoordeling"),
    # The earlier separate forms' addresses: the same view, which keeps what is not posted.
    path("<int:pk>/ernst/", case.beoordeling, name="severity"),
    path("<int:pk>/toewijzen/", case.beoordeling, name="assign"),
    path("<int:pk>/afsluiten/", case.close, name="close"),
    path("<int:pk>/notitie/", case.note, name="note"),
    path("<int:pk>/stap/", case.step, name="step"),
    path("<int:pk>/nazorg/", case.aftercare, name="aftercare"),
    path("<int:pk>/pleger/", case.perpetrator, name="perpetrator"),
    path("<int:pk>/eigen-stap/<int:step_pk>/", case_letters.case_step, name="case_step"),
    path("<int:pk>/brief/", case_letters.letter, name="letter"),
    path("<int:pk>/aangifte/", case.aangifte, name="aangifte"),
    path("<int:pk>/aangifte.pdf", case.aangifte_pdf, name="aangifte_pdf"),
    path("<int:pk>/delen/", case.share, name="share"),
    path("<int:pk>/delen/<int:user_pk>/intrekken/", case.revoke, name="revoke"),
    path("protocol/", protocol.index, name="protocol"),
    path("protocol/<int:org_pk>/stappen/", protocol.steps, name="local_steps"),
    path("protocol/<int:org_pk>/stappen/<int:step_pk>/", protocol.edit_step, name="local_step"),
    path("protocol/<int:org_pk>/brieven/", protocol.letters, name="letter_templates"),
    path("protocol/<int:org_pk>/brieven/<str:kind>/", protocol.edit_letter, name="letter_template"),
    path(
        "protocol/<int:org_pk>/brieven/<str:kind>/standaard/",
        protocol.reset_letter,
        name="letter_template_reset",
    ),
    path("protocol/ontvangers/", local_protocol.mine, name="protocol_mine"),
    path("protocol/<int:pk>/ontvangers/", local_protocol.edit, name="protocol_routes"),
    path("gereedheid/", readiness.national, name="readiness"),
    path("gereedheid/export.csv", readiness.export_csv, name="readiness_export"),
    path("triage/", dashboard.DashboardView.as_view(), name="dashboard"),
    path("triage/exporteren/", export.export, name="export_form"),
    # The earlier address of the CSV (bookmarks and links in notes): the file without free text.
    path("triage/export.csv", export.export_csv, name="export"),
]
