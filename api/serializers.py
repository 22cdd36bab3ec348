"""What the API returns, with Dutch field names. The allocation rows have exactly the columns of the allocation
CSV export (`budgets.reports.CSV_COLUMNS`: cbs_code, naam, onderdeel, jaar, bedrag); amounts are whole euros."""

from rest_framework import serializers

from applications.intake.flow import STATES


class GemeenteSerializer(serializers.Serializer):
    cbs_code = serializers.CharField()
    naam = serializers.CharField(source="name")
    provincie = serializers.CharField(source="province")


class RegioSerializer(serializers.Serializer):
    slug = serializers.CharField()
    naam = serializers.CharField(source="name")


class RegiolidmaatschapSerializer(serializers.Serializer):
    regio = serializers.CharField(source="region.slug")
    regio_naam = serializers.CharField(source="region.name")
    cbs_code = serializers.CharField(source="municipality.cbs_code")
    naam = serializers.CharField(source="municipality.name")
    geldig_vanaf = serializers.DateField(source="valid_from")
    geldig_tot_en_met = serializers.DateField(source="valid_until", allow_null=True)


class OnderdeelSerializer(serializers.Serializer):
    regeling = serializers.CharField(source="regulation")
    nummer = serializers.IntegerField(source="number")
    naam = serializers.CharField(source="name")
    hoofdthema = serializers.CharField(source="theme.name")
    verplicht = serializers.BooleanField(source="is_mandatory")
    een_regel_voor_de_regeling = serializers.BooleanField(source="is_total")


class VerdelingSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    naam = serializers.CharField(source="name")
    regeling = serializers.CharField(source="regulation")
    soort = serializers.CharField(source="kind", help_text="berekend, of vastgesteld (een officiële tabel)")
    jaren = serializers.ListField(source="years", child=serializers.IntegerField())
    bron = serializers.CharField(source="source")
    peildatum_regio_indeling = serializers.DateField(source="reference_date", allow_null=True)
    vingerafdruk_invoer = serializers.CharField(source="input_fingerprint", help_text="SHA-256 van de bevroren invoer")
    klaar_op = serializers.DateTimeField(source="finished_at", allow_null=True)


class RowSerializer(serializers.Serializer):
    """Rows that the selector already gives in their final shape (dicts with these keys, made by the
    database): the fields describe them for the schema; each row is passed on as it is."""

    def to_representation(self, instance):
        return instance


class BedragSerializer(RowSerializer):
    cbs_code = serializers.CharField()
    naam = serializers.CharField()
    onderdeel = serializers.CharField()
    jaar = serializers.IntegerField()
    bedrag = serializers.IntegerField(help_text="hele euro's")


class RegiobedragSerializer(RowSerializer):
    regio = serializers.CharField()
    naam = serializers.CharField()
    onderdeel = serializers.CharField()
    jaar = serializers.IntegerField()
    bedrag = serializers.IntegerField(help_text="hele euro's")


def _state_label(application) -> str:
    return STATES[application.state].label


class AanvraagSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kenmerk = serializers.CharField(source="reference", help_text="leeg zolang de aanvraag niet is ingediend")
    regeling = serializers.CharField(source="regulation")
    periode = serializers.CharField(source="period.name")
    eerste_jaar = serializers.IntegerField(source="period.first_year")
    laatste_jaar = serializers.IntegerField(source="period.last_year")
    cbs_code = serializers.CharField(source="municipality.cbs_code", allow_null=True,
                                     help_text="de aanvragende gemeente (brede SPUK)")
    regio = serializers.CharField(source="region.slug", allow_null=True, help_text="de aanvragende regio (SPUK IZA)")
    status = serializers.CharField(source="state")
    status_omschrijving = serializers.SerializerMethodField()
    ingediend_op = serializers.DateTimeField(source="submitted_at", allow_null=True)
    beschikking_kenmerk = serializers.SerializerMethodField()

    def get_status_omschrijving(self, obj) -> str:
        return _state_label(obj)

    def get_beschikking_kenmerk(self, obj) -> str | None:
        decision = getattr(obj, "decision", None)
        return decision.reference if decision else None


class BeschikkingsregelSerializer(serializers.Serializer):
    omschrijving = serializers.CharField(source="label")
    onderdeel = serializers.CharField(source="component.label", allow_null=True)
    cbs_code = serializers.CharField(source="municipality.cbs_code", allow_null=True,
                                     help_text="SPUK IZA: de gemeente van een lokale regel")
    jaar = serializers.IntegerField(source="year")
    bedrag = serializers.IntegerField(source="amount", help_text="hele euro's")


class VoorschotSerializer(serializers.Serializer):
    betaaldatum = serializers.DateField(source="due_on")
    bedrag = serializers.IntegerField(source="amount", help_text="hele euro's")


class BeschikkingSerializer(serializers.Serializer):
    kenmerk = serializers.CharField(source="reference")
    aanvraag_id = serializers.IntegerField(source="application.id")
    aanvraag_kenmerk = serializers.CharField(source="application.reference")
    regeling = serializers.CharField(source="application.regulation")
    cbs_code = serializers.CharField(source="application.municipality.cbs_code", allow_null=True)
    regio = serializers.CharField(source="application.region.slug", allow_null=True)
    besluit = serializers.CharField(source="outcome")
    datum = serializers.DateField(source="decided_on")
    totaal = serializers.SerializerMethodField(help_text="hele euro's")
    bedragen = BeschikkingsregelSerializer(source="lines", many=True)
    voorschotten = VoorschotSerializer(source="payments", many=True)

    def get_totaal(self, obj) -> int:
        return sum(line.amount for line in obj.lines.all())


class VerantwoordingSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    cbs_code = serializers.CharField(source="municipality.cbs_code")
    naam = serializers.CharField(source="municipality.name")
    regio = serializers.CharField(source="region.slug", allow_null=True)
    regeling = serializers.CharField(source="regulation")
    jaar = serializers.IntegerField(source="year")
    versie = serializers.IntegerField(source="version")
    status = serializers.CharField()
    eindverantwoording = serializers.BooleanField(source="is_final")
    ingediend_op = serializers.DateTimeField(source="submitted_at", allow_null=True)
    # the SiSa appendix's job; none before the report is submitted
    status_bijlage = serializers.CharField(source="appendix.status", allow_null=True)


class GeldSerializer(serializers.Serializer):
    """One recipient's money for one regulation and year, from the grant ledger (net of reversals, whole euros).
    The recipient is a gemeente (cbs_code) or, for the SPUK IZA, an IZA-regio (regio)."""

    cbs_code = serializers.CharField(source="municipality__cbs_code", allow_null=True,
                                     help_text="de ontvangende gemeente (leeg bij een regio)")
    regio = serializers.CharField(source="region__slug", allow_null=True,
                                  help_text="de ontvangende IZA-regio (SPUK IZA; leeg bij een gemeente)")
    naam = serializers.SerializerMethodField(help_text="naam van de gemeente of de regio")
    regeling = serializers.CharField(source="regulation")
    jaar = serializers.IntegerField(source="year")
    toegekend = serializers.IntegerField(source="granted", help_text="hele euro's: beschikkingen, gewijzigde "
                                         "beschikkingen en toekenningen van vóór het portaal")
    voorschot_gepland = serializers.IntegerField(source="advance_scheduled", help_text="hele euro's")
    voorschot_betaald = serializers.IntegerField(source="advance_paid", help_text="hele euro's")
    besteed = serializers.IntegerField(source="spent", help_text="hele euro's, uit de ingediende SiSa-verantwoording")
    overgeheveld = serializers.IntegerField(source="carried_over", help_text="hele euro's, naar het volgende jaar")
    vastgesteld = serializers.IntegerField(source="determined", help_text="hele euro's (vaststelling)")
    teruggevorderd = serializers.IntegerField(source="reclaimed", help_text="hele euro's")

    def get_naam(self, row) -> str:
        return row["municipality__name"] or row["region__name"]
