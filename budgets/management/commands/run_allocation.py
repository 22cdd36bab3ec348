from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Sum

from budgets.models import AllocationRun, BudgetVersion, DistributionKey, Regulation
from budgets.services import allocation_run_start


class Command(BaseCommand):
    help = ("Bereken een verdeling in dit proces en druk een samenvatting af; de laatste regel is het id van de "
            "berekening. Standaard: de nieuwste begrotingsversie en de standaardverdeelsleutel.")

    def add_arguments(self, parser):
        parser.add_argument("--regulation", required=True, choices=Regulation.values, help="brede_spuk of spuk_iza")
        parser.add_argument("--year", required=True, type=int, action="append",
                            help="jaar (mag vaker: --year 2025 --year 2026)")
        parser.add_argument("--budget-version", help="naam van de begrotingsversie (standaard: de nieuwste)")
        parser.add_argument("--key-version", help="naam van de verdeelsleutel (standaard: de standaardsleutel)")
        parser.add_argument("--name", default="", help="naam van de berekening")

    def handle(self, *args, **options):
        if options["budget_version"]:
            version = BudgetVersion.objects.filter(name=options["budget_version"]).first()
            if version is None:
                raise CommandError(f"Onbekende begrotingsversie '{options['budget_version']}'. Bekend: "
                                   + "; ".join(BudgetVersion.objects.values_list("name", flat=True)))
        else:
            version = BudgetVersion.objects.order_by("-source_date", "-id").first()
        if options["key_version"]:
            key = DistributionKey.objects.filter(name=options["key_version"]).first()
            if key is None:
                raise CommandError(f"Onbekende verdeelsleutel '{options['key_version']}'. Bekend: "
                                   + "; ".join(DistributionKey.objects.values_list("name", flat=True)))
        else:
            key = DistributionKey.objects.filter(is_default=True).first()
        if version is None or key is None:
            raise CommandError("Er is geen begrotingsversie of verdeelsleutel: laad eerst de referentiegegevens.")
        try:
            run = allocation_run_start(actor=None, regulation=options["regulation"], years=options["year"],
                                       budget_version=version, distribution_key=key, name=options["name"],
                                       run_now=True)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        if run.status != AllocationRun.Status.FINISHED:
            raise CommandError(f"Berekening {run.pk} is mislukt: {run.error}")
        self.stdout.write(f"Berekening: {run.name}")
        self.stdout.write(f"Begrotingsversie: {version.name}; verdeelsleutel: {key.name}")
        for year, total in run.allocations.values_list("year").annotate(Sum("amount")).order_by("year"):
            self.stdout.write(f"{year}: € {total:,} verdeeld over {run.allocations.filter(year=year).values('municipality').distinct().count()} gemeenten".replace(",", "."))
        self.stdout.write(f"Regels: {run.allocations.count()}; regiototalen: {run.region_allocations.count()}; "
                          f"rekentijd {run.compute_seconds:.3f} s, totaal {run.duration_seconds:.3f} s")
        self.stdout.write(str(run.pk))
