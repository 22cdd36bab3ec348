from django.core.management.base import BaseCommand, CommandError

from spukportal.csv_import import ImportFailed


class ImportCommand(BaseCommand):
    """Base for `manage.py import_*`: FILE, --dry-run, summary on success, Dutch error on failure."""

    importer_class = None

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV-bestand (UTF-8, komma-gescheiden, met kopregel)")
        parser.add_argument("--dry-run", action="store_true", help="controleer en tel, maar sla niets op")

    def importer_options(self, options) -> dict:
        return {}

    def handle(self, *args, **options):
        importer = self.importer_class(**self.importer_options(options))
        try:
            result = importer.run(options["file"], dry_run=options["dry_run"])
        except ImportFailed as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(str(result))
