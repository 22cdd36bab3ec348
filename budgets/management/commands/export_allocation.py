from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from budgets.models import AllocationRun
from budgets.reports import render


class Command(BaseCommand):
    help = ("Exporteer een afgeronde berekening als CSV (cbs_code,naam,onderdeel,jaar,bedrag), XLSX of PDF en druk "
            "een samenvatting af.")

    def add_arguments(self, parser):
        parser.add_argument("run_id", type=int, help="id van de berekening")
        parser.add_argument("--format", required=True, choices=["csv", "xlsx", "pdf"])
        parser.add_argument("--output", required=True, help="pad van het bestand dat wordt geschreven")

    def handle(self, *args, **options):
        run = AllocationRun.objects.filter(pk=options["run_id"]).first()
        if run is None:
            raise CommandError(f"Berekening {options['run_id']} bestaat niet.")
        if run.status != AllocationRun.Status.FINISHED:
            raise CommandError(f"Berekening {run.pk} is niet klaar (status: {run.get_status_display()}).")
        content = render(run, options["format"])
        output = Path(options["output"])
        try:
            output.write_bytes(content)
        except OSError as exc:
            raise CommandError(f"Kan {output} niet schrijven: {exc.strerror}.") from exc
        self.stdout.write(f"Berekening {run.pk} ({run.name}): {run.allocations.count()} bedragen, "
                          f"{options['format'].upper()} geschreven naar {output} ({len(content):,} bytes).".replace(",", "."))
