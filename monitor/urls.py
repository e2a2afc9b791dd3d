from django.urls import path

from . import views

app_name = "monitor"

urlpatterns = [
    path("", views.index, name="index"),
    path("rapport/", views.report_page, name="report"),
    path("rapport.pdf", views.pdf_report, name="pdf"),
    path("<slug:slug>.csv", views.csv_export, name="csv"),
]
