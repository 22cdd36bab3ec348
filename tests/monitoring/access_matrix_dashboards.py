"""Access matrix of the dashboards, ketenaanpak monitoring and exports (monitoring/dashboards/urls.py).

gemeente = Almere (Flevoland, mandate holder), gemeente2 = Lelystad (Flevoland), gemeente3 = Kerkrade
(Zuid-Limburg): each sees its own gemeente's monitoring and its own region's dashboard, never another's."""

from django.utils import timezone

from tests.access import Case

STAFF = {"kerngroep", "ministerie"}
FLEVOLAND = {"gemeente", "gemeente2"} | STAFF
ZUID_LIMBURG = {"gemeente3"} | STAFF


def _region(name):
    from regions.models import Region

    return Region.objects.get(name=name).slug


def _export(creator, status="klaar"):
    def make():
        from django.contrib.auth import get_user_model
        from django.core.files.base import ContentFile
        from django.core.files.storage import storages

        from monitoring.models import Export

        user = get_user_model().objects.get(username=creator)
        export = Export.objects.create(kind=Export.Kind.SPENDING_OVERVIEW, parameters={"year": 2025},
                                       created_by=user, status=status, finished_at=timezone.now(),
                                       error="" if status == "klaar" else "De export is mislukt.")
        if status == "klaar":
            export.file = storages["private"].save(f"exports/{export.pk}/{export.filename}", ContentFile(b"PK"))
            export.save(update_fields=["file"])
        return (export.pk,)

    return make


def _state_post():
    return {"approach": "valpreventie", "stage": "voorbereiding", "changed_on": "2025-05-01", "note": ""}


def _figures_post():
    return {"year": "2025", "home_dwelling_65_plus": "1000", "assessments": "140", "interventions": "30"}


CASES = [
    Case("monitoring:dashboards_home", {"gemeente", "gemeente2", "gemeente3"} | STAFF, ok_status=302),
    Case("monitoring:national_dashboard", STAFF),
    Case("monitoring:national_dashboard", STAFF, data={"provincie": "Flevoland", "jaar": "2025"},
         label="national-dashboard-flevoland"),
    Case("monitoring:national_download", STAFF, args=("aanvragen", "csv"), label="national-csv"),
    Case("monitoring:national_download", STAFF, args=("besteding-provincie", "xlsx"), label="national-xlsx"),
    Case("monitoring:national_download", STAFF, args=("ketenaanpak", "svg"), label="national-svg"),
    Case("monitoring:national_download", STAFF, args=("kaart-verdeling", "svg"), label="national-map-svg"),
    Case("monitoring:national_download", STAFF, args=("kaart-regio-aanvraag", "csv"), label="national-map-csv"),
    Case("monitoring:region_dashboard", FLEVOLAND, args=lambda: (_region("Flevoland"),), label="region-flevoland"),
    Case("monitoring:region_dashboard", ZUID_LIMBURG, args=lambda: (_region("Zuid-Limburg"),),
         label="region-zuid-limburg"),
    Case("monitoring:region_download", FLEVOLAND, args=lambda: (_region("Flevoland"), "ketenaanpak", "csv"),
         label="region-flevoland-csv"),
    Case("monitoring:region_download", ZUID_LIMBURG,
         args=lambda: (_region("Zuid-Limburg"), "verdeling-besteding", "svg"), label="region-zuid-limburg-svg"),
    Case("monitoring:region_download", FLEVOLAND, args=lambda: (_region("Flevoland"), "kaart", "svg"),
         label="region-flevoland-map-svg"),
    Case("monitoring:municipality_download", {"gemeente"} | STAFF, args=("GM0034", "kaart", "xlsx"),
         label="monitoring-almere-map-xlsx"),
    Case("monitoring:municipality_monitoring", {"gemeente"} | STAFF, args=("GM0034",), label="monitoring-almere"),
    Case("monitoring:municipality_monitoring", {"gemeente2"} | STAFF, args=("GM0995",), label="monitoring-lelystad"),
    Case("monitoring:municipality_monitoring", {"gemeente3"} | STAFF, args=("GM0928",), label="monitoring-kerkrade"),
    Case("monitoring:municipality_download", {"gemeente"} | STAFF, args=("GM0034", "ketenaanpak", "csv"),
         label="monitoring-almere-history-csv"),
    Case("monitoring:municipality_download", {"gemeente2"} | STAFF, args=("GM0995", "valpreventie", "xlsx"),
         label="monitoring-lelystad-figures-xlsx"),
    Case("monitoring:chain_state_record", {"gemeente"}, args=("GM0034",), label="chain-form-almere"),
    Case("monitoring:chain_state_record", {"gemeente2"}, args=("GM0995",), label="chain-form-lelystad"),
    Case("monitoring:chain_state_record", {"gemeente"}, args=("GM0034",), method="post", data=_state_post,
         ok_status=302, label="chain-post-almere"),
    Case("monitoring:chain_state_record", {"gemeente3"}, args=("GM0928",), method="post", data=_state_post,
         ok_status=302, label="chain-post-kerkrade"),
    Case("monitoring:fall_prevention_record", {"gemeente"}, args=("GM0034",), label="figures-form-almere"),
    Case("monitoring:fall_prevention_record", {"gemeente2"}, args=("GM0995",), method="post", data=_figures_post,
         ok_status=302, label="figures-post-lelystad"),
    Case("monitoring:export_start", STAFF, method="post", data={"jaar": "2025"}, ok_status=302),
    Case("monitoring:download_list", STAFF),
    Case("monitoring:download_status", STAFF),
    Case("monitoring:export_download", {"ministerie"}, args=_export("ministerie"), label="export-of-ministerie"),
    Case("monitoring:export_download", STAFF, args=_export("kerngroep"), label="export-of-kerngroep"),
    Case("monitoring:export_retry", {"ministerie"}, args=_export("ministerie", "mislukt"), method="post",
         ok_status=302),
]
