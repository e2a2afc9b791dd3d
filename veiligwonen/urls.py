app_name = "veiligwonen"

urlpatterns = []
