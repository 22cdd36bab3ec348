"""/api/v1/: the first version of the open API (see the README, "Open API", for the versioning policy)."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import views
from .views import ID_PATTERN

app_name = "api"

urlpatterns = [
    path("gemeenten/", views.GemeenteList.as_view(), name="gemeenten"),
    path("regios/", views.RegioList.as_view(), name="regios"),
    path("regiolidmaatschappen/", views.RegiolidmaatschapList.as_view(), name="regiolidmaatschappen"),
    path("onderdelen/", views.OnderdeelList.as_view(), name="onderdelen"),
    path("verdelingen/", views.VerdelingList.as_view(), name="verdelingen"),
    re_path(rf"^verdelingen/(?P<run_id>{ID_PATTERN})/$", views.VerdelingDetail.as_view(), name="verdeling"),
    re_path(rf"^verdelingen/(?P<run_id>{ID_PATTERN})/bedragen/$", views.BedragList.as_view(), name="bedragen"),
    re_path(rf"^verdelingen/(?P<run_id>{ID_PATTERN})/regiobedragen/$", views.RegiobedragList.as_view(),
            name="regiobedragen"),
    path("aanvragen/", views.AanvraagList.as_view(), name="aanvragen"),
    re_path(rf"^aanvragen/(?P<pk>{ID_PATTERN})/$", views.AanvraagDetail.as_view(), name="aanvraag"),
    path("beschikkingen/", views.BeschikkingList.as_view(), name="beschikkingen"),
    re_path(r"^beschikkingen/(?P<reference>[A-Za-z0-9-]{1,40})/$", views.BeschikkingDetail.as_view(),
            name="beschikking"),
    path("verantwoordingen/", views.VerantwoordingList.as_view(), name="verantwoordingen"),
    re_path(rf"^verantwoordingen/(?P<pk>{ID_PATTERN})/$", views.VerantwoordingDetail.as_view(),
            name="verantwoording"),
    path("geld/", views.GeldList.as_view(), name="geld"),
    path("schema/", login_not_required(SpectacularAPIView.as_view()), name="schema"),
    path("docs/", login_not_required(SpectacularSwaggerSplitView.as_view(url_name="api:schema")), name="docs"),
    # last: anything else, a path with a line break in it too ((?s) lets "." match it)
    re_path(r"^(?P<rest>(?s:.*))$", views.NotFoundView.as_view(), name="niet_gevonden"),
]
