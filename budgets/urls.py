app_name = "budgets"

urlpatterns = []
