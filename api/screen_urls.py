from django.urls import path

from . import client_views

app_name = "api_clients"

urlpatterns = [
    path("", client_views.client_list, name="list"),
    path("<int:pk>/", client_views.client_detail, name="detail"),
]
