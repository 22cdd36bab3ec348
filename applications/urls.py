"""Applications: applying (`intake.urls`), the kerngroep's review (`review.urls`) and the ministry's decisions
(`decisions.urls`), all under /aanvragen/ with the namespace `applications`."""

from .decisions import urls as decision_urls
from .intake import urls as intake_urls
from .review import urls as review_urls

app_name = "applications"

urlpatterns = intake_urls.urlpatterns + review_urls.urlpatterns + decision_urls.urlpatterns
