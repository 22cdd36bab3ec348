"""Fill the eHerkenning configuration (django-digid-eherkenning, shown in the beheer) from the environment."""

from pathlib import Path

import environ
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

REQUIRED = ["EHERKENNING_ENTITY_ID", "EHERKENNING_CERT_FILE", "EHERKENNING_KEY_FILE",
            "EHERKENNING_IDP_METADATA_FILE", "EHERKENNING_IDP_ENTITY_ID", "EHERKENNING_SERVICE_NAME"]


class Command(BaseCommand):
    help = ("Zet de eHerkenning-configuratie (certificaat, metadata van de makelaar, dienstcatalogus) vanuit de "
            "omgevingsvariabelen EHERKENNING_*; zie de README.")

    def handle(self, *args, **options):
        # Imported here: eHerkenning (and its library) is loaded only when it is configured.
        from spukportal.eherkenning import configuration_save

        env = environ.Env()
        missing = [name for name in REQUIRED if not env.str(name, default="")]
        if missing:
            raise CommandError(f"Ontbrekende omgevingsvariabelen: {', '.join(missing)}.")

        def read(name):
            path = Path(env.str(name))
            if not path.is_file():
                raise CommandError(f"{name}: bestand {path} bestaat niet.")
            return path.read_bytes()

        config = configuration_save(
            actor=None,
            entity_id=env.str("EHERKENNING_ENTITY_ID"),
            base_url=env.str("EHERKENNING_BASE_URL", default=settings.SITE_URL),
            certificate_pem=read("EHERKENNING_CERT_FILE"),
            private_key_pem=read("EHERKENNING_KEY_FILE"),
            idp_metadata_xml=read("EHERKENNING_IDP_METADATA_FILE"),
            idp_entity_id=env.str("EHERKENNING_IDP_ENTITY_ID"),
            service_name=env.str("EHERKENNING_SERVICE_NAME"),
            service_description=env.str("EHERKENNING_SERVICE_DESCRIPTION", default="SPUK-portaal (GALA)"),
            oin=env.str("EHERKENNING_OIN", default=""),
            makelaar_id=env.str("EHERKENNING_MAKELAAR_ID", default=""),
            loa=env.str("EHERKENNING_LOA", default="urn:etoegang:core:assurance-class:loa3"),
            privacy_policy=env.str("EHERKENNING_PRIVACY_URL", default=f"{settings.SITE_URL.rstrip('/')}/privacy/"),
            service_uuid=env.str("EHERKENNING_SERVICE_UUID", default=""),
            service_instance_uuid=env.str("EHERKENNING_SERVICE_INSTANCE_UUID", default=""),
            artifact_resolve_content_type=env.str("EHERKENNING_ARTIFACT_CONTENT_TYPE", default="text/xml"),
        )
        self.stdout.write(f"eHerkenning ingesteld: {config.entity_id} (makelaar {config.idp_service_entity_id}).")
