app_name = "otwb"

urlpatterns = []
