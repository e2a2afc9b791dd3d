from django.urls import path

from . import views

app_name = "veiligwonen"

urlpatterns = [
    path("", views.index, name="index"),
    path("aanvragen/nieuw/", views.apply, name="apply"),
    path("wachtrij/", views.queue, name="queue"),
    path("kosten/", views.costs, name="costs"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/stap/<slug:action>/", views.step, name="step"),
    path("<int:pk>/maatregel/<int:measure_id>/", views.measure_update, name="measure_update"),
    path("<int:pk>/documenten/", views.upload_document, name="upload_document"),
    path(
        "<int:pk>/documenten/<int:document_id>/",
        views.download_document,
        name="download_document",
    ),
    path("<int:pk>/berichten/", views.post_message, name="post_message"),
    path("<int:pk>/advies-aanvrager.pdf", views.pdf_applicant, name="pdf_applicant"),
    path("<int:pk>/advies-werkgever.pdf", views.pdf_employer, name="pdf_employer"),
    path("<int:pk>/overdracht.pdf", views.referral_pdf, name="referral_pdf"),
]
