"""The endpoints of /api/v1/: thin — a selector gives the rows (already scoped), a serializer the fields.

Every endpoint answers GET only, in JSON or CSV, with an ETag (and a Last-Modified where the data has a
moment it was fixed: a finished allocation run), so a client that asks again with If-None-Match or
If-Modified-Since gets 304 Not Modified.
"""

import hashlib

from django.contrib.auth.decorators import login_not_required
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import generics, pagination, permissions as drf_permissions, renderers
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response

from applications.models import Application, GrantDecision
from budgets.ledger.models import LedgerEntry
from budgets.models import Allocation, RegionAllocation
from applications.permissions import can_download_decision, can_view_application
from monitoring.models import SpendingReport
from monitoring.permissions import can_read_report

from . import filters, selectors, serializers
from .auth import ApiClient, PerTokenThrottle, TokenAuthentication
from .renderers import CsvRenderer

ID_PATTERN = r"[0-9]{1,9}"  # path ids: at most nine digits, so no number overflows a database column


class Pagination(pagination.PageNumberPagination):
    page_size = 100
    page_query_param = "pagina"
    page_size_query_param = "per_pagina"
    max_page_size = 5000
    invalid_page_message = "Deze pagina bestaat niet."

    def get_paginated_response(self, data):
        links = {"next": self.get_next_link(), "prev": self.get_previous_link()}
        # The links in a header too (RFC 8288), so a CSV client can page on: CSV holds only the rows.
        headers = {"Link": ", ".join(f'<{url}>; rel="{rel}"' for rel, url in links.items() if url)} \
            if any(links.values()) else {}
        headers["X-Total-Count"] = str(self.page.paginator.count)
        return Response({"aantal": self.page.paginator.count, "volgende": links["next"],
                         "vorige": links["prev"], "resultaten": data}, headers=headers)

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["aantal", "volgende", "vorige", "resultaten"],
            "properties": {
                "aantal": {"type": "integer", "description": "aantal rijen in alle pagina's samen"},
                "volgende": {"type": "string", "nullable": True, "format": "uri"},
                "vorige": {"type": "string", "nullable": True, "format": "uri"},
                "resultaten": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        params = super().get_schema_operation_parameters(view)
        for param in params:
            param["schema"] = {"type": "integer", "minimum": 1}
            if param["name"] == self.page_size_query_param:
                param["schema"]["maximum"] = self.max_page_size
            if param["name"] == self.page_query_param:
                param["schema"]["maximum"] = 10 ** 6
        return params


def get_or_404(queryset, message, **lookup):
    obj = queryset.filter(**lookup).first()
    if obj is None:
        raise NotFound(message)
    return obj


class IsOrganisation(drf_permissions.BasePermission):
    """Endpoints of one organisation: a valid token is needed."""

    message = "Dit deel van de API vraagt om een token (Authorization: Bearer <token>)."

    def has_permission(self, request, view):
        return isinstance(request.user, ApiClient)


class ApiView(generics.GenericAPIView):
    authentication_classes = [TokenAuthentication]  # never the session: a browser's login does not reach the API
    permission_classes = [drf_permissions.AllowAny]
    renderer_classes = [renderers.JSONRenderer, CsvRenderer]
    throttle_classes = [PerTokenThrottle]
    pagination_class = Pagination
    filter_backends = [DjangoFilterBackend]
    http_method_names = ["get", "head", "options"]

    @classmethod
    def as_view(cls, **initkwargs):
        # The API answers callers without a portal session itself (public, or a token): not the login page.
        return login_not_required(super().as_view(**initkwargs))

    def last_modified(self):
        """When the data behind this response was fixed, if it has such a moment (else None)."""
        return None

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        patch_vary_headers(response, ["Accept", "Authorization"])
        # who called, if that was already settled (an answer given before authentication, e.g. a 406, must not
        # authenticate now: a refused token would raise inside this method)
        organisation = isinstance(getattr(request, "_user", None), ApiClient)
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            if organisation:
                patch_cache_control(response, private=True, no_store=True)
            return response
        response.render()
        etag = '"' + hashlib.sha256(response.content).hexdigest()[:40] + '"'
        response["ETag"] = etag
        modified = self.last_modified()
        if modified is not None:
            response["Last-Modified"] = http_date(modified.timestamp())
        # an organisation's data: only its own client may keep it, and must ask again each time (304 if same)
        patch_cache_control(response, no_cache=True, **({"private": True} if organisation else {"public": True}))
        return get_conditional_response(request, etag=etag,
                                        last_modified=int(modified.timestamp()) if modified else None,
                                        response=response)


class PublicList(ApiView, generics.ListAPIView):
    pass


class OrganisationView(ApiView):
    permission_classes = [IsOrganisation]

    def check(self, decision):
        if not decision:
            raise PermissionDenied(decision.reason)


@extend_schema(exclude=True)
class NotFoundView(ApiView):
    """Any other address under /api/v1/: a 404 in the API's own formats, not the portal's HTML page."""

    def get(self, request, *args, **kwargs):
        raise NotFound("Dit adres bestaat niet in de API; zie /api/v1/docs/.")


# --- public ---------------------------------------------------------------------------------------------

@extend_schema(summary="Gemeenten", tags=["openbaar"])
class GemeenteList(PublicList):
    serializer_class = serializers.GemeenteSerializer
    filterset_class = filters.GemeenteFilter

    def get_queryset(self):
        return selectors.municipalities()


@extend_schema(summary="IZA-regio's", tags=["openbaar"])
class RegioList(PublicList):
    serializer_class = serializers.RegioSerializer

    def get_queryset(self):
        return selectors.regions()


@extend_schema(summary="Lidmaatschap van IZA-regio's door de tijd", tags=["openbaar"])
class RegiolidmaatschapList(PublicList):
    serializer_class = serializers.RegiolidmaatschapSerializer
    filterset_class = filters.RegiolidmaatschapFilter

    def get_queryset(self):
        return selectors.memberships()


@extend_schema(summary="Onderdelen (begrotingsregels)", tags=["openbaar"])
class OnderdeelList(PublicList):
    serializer_class = serializers.OnderdeelSerializer
    filterset_class = filters.OnderdeelFilter

    def get_queryset(self):
        return selectors.components()


@extend_schema(summary="Gepubliceerde verdeelberekeningen en officiële tabellen", tags=["openbaar"])
class VerdelingList(PublicList):
    serializer_class = serializers.VerdelingSerializer
    filterset_class = filters.VerdelingFilter

    def get_queryset(self):
        return selectors.published_runs()


class RunMixin:
    """A published run from the path (404 for one that is not published)."""

    def run(self):
        if not hasattr(self, "_run"):
            self._run = get_or_404(selectors.published_runs(), "Deze verdeelberekening bestaat niet of is niet "
                                   "gepubliceerd.", pk=self.kwargs["run_id"])
        return self._run

    def last_modified(self):
        return self.run().finished_at  # a finished run never changes


@extend_schema(summary="Eén gepubliceerde verdeelberekening", tags=["openbaar"])
class VerdelingDetail(RunMixin, ApiView, generics.RetrieveAPIView):
    serializer_class = serializers.VerdelingSerializer

    def get_object(self):
        return self.run()


@extend_schema(summary="Bedragen per gemeente, onderdeel en jaar van een gepubliceerde berekening",
               tags=["openbaar"])
class BedragList(RunMixin, PublicList):
    queryset = Allocation.objects.none()  # for the schema; the rows come from get_queryset
    serializer_class = serializers.BedragSerializer
    filterset_class = filters.BedragFilter

    def get_queryset(self):
        return selectors.allocations(self.run())


@extend_schema(summary="Bedragen per IZA-regio, onderdeel en jaar van een gepubliceerde berekening",
               tags=["openbaar"])
class RegiobedragList(RunMixin, PublicList):
    queryset = RegionAllocation.objects.none()  # for the schema; the rows come from get_queryset
    serializer_class = serializers.RegiobedragSerializer
    filterset_class = filters.RegiobedragFilter

    def get_queryset(self):
        return selectors.region_allocations(self.run())


# --- per organisation (token) ---------------------------------------------------------------------------

@extend_schema(summary="Aanvragen: status en kenmerken", tags=["organisatie"])
class AanvraagList(OrganisationView, generics.ListAPIView):
    queryset = Application.objects.none()  # for the schema; the rows come from get_queryset
    serializer_class = serializers.AanvraagSerializer
    filterset_class = filters.AanvraagFilter

    def get_queryset(self):
        return selectors.applications_for_client(self.request.user)


@extend_schema(summary="Eén aanvraag", tags=["organisatie"])
class AanvraagDetail(OrganisationView, generics.RetrieveAPIView):
    serializer_class = serializers.AanvraagSerializer

    def get_object(self):
        application = get_or_404(
            Application.objects.select_related("municipality", "region", "period", "decision"),
            "Deze aanvraag bestaat niet.", pk=self.kwargs["pk"])
        self.check(can_view_application(self.request.user, application))
        return application


@extend_schema(summary="Beschikkingen met bedragen en voorschotten", tags=["organisatie"])
class BeschikkingList(OrganisationView, generics.ListAPIView):
    queryset = GrantDecision.objects.none()  # for the schema; the rows come from get_queryset
    serializer_class = serializers.BeschikkingSerializer
    filterset_class = filters.BeschikkingFilter

    def get_queryset(self):
        return selectors.decisions_for_client(self.request.user)


@extend_schema(summary="Eén beschikking (op kenmerk)", tags=["organisatie"])
class BeschikkingDetail(OrganisationView, generics.RetrieveAPIView):
    serializer_class = serializers.BeschikkingSerializer

    def get_object(self):
        decision = get_or_404(selectors.decisions(), "Er is geen beschikking met dit kenmerk.",
                              reference=self.kwargs["reference"])
        self.check(can_download_decision(self.request.user, decision))
        return decision


@extend_schema(summary="Verantwoordingen (SiSa): status per gemeente, regeling en jaar", tags=["organisatie"])
class VerantwoordingList(OrganisationView, generics.ListAPIView):
    queryset = SpendingReport.objects.none()  # for the schema; the rows come from get_queryset
    serializer_class = serializers.VerantwoordingSerializer
    filterset_class = filters.VerantwoordingFilter

    def get_queryset(self):
        return selectors.reports_for_client(self.request.user)


@extend_schema(summary="Eén verantwoording (SiSa)", tags=["organisatie"])
class VerantwoordingDetail(OrganisationView, generics.RetrieveAPIView):
    serializer_class = serializers.VerantwoordingSerializer

    def get_object(self):
        report = get_or_404(SpendingReport.objects.select_related("municipality", "region", "appendix"),
                            "Deze verantwoording bestaat niet.", pk=self.kwargs["pk"])
        self.check(can_read_report(self.request.user, report))
        return report


@extend_schema(summary="Geld per ontvanger, regeling en jaar uit het grootboek: toegekend, voorschotten, besteed, "
                       "overgeheveld, vastgesteld en teruggevorderd", tags=["organisatie"])
class GeldList(OrganisationView, generics.ListAPIView):
    queryset = LedgerEntry.objects.none()  # for the schema; the rows come from get_queryset
    serializer_class = serializers.GeldSerializer
    filterset_class = filters.GeldFilter

    def get_queryset(self):
        return selectors.money_for_client(self.request.user)
