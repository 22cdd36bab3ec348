"""A local eHerkenning broker for the tests: a SAML2 identity provider made with pysaml2, with a key pair and
certificate made here, answering the artifact resolution over real HTTP on 127.0.0.1.

The portal (django-digid-eherkenning) posts a signed AuthnRequest to it through the browser, gets an artifact back
on its ACS, and resolves that artifact over the back channel (SOAP) into the signed assertion. The test plays the
browser: it hands the AuthnRequest to `authenticate()` and carries the artifact to the portal's ACS."""

import base64
import datetime
import hashlib
import secrets
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT, BINDING_SOAP, samlp
from saml2.assertion import Policy
from saml2.config import IdPConfig
from saml2.metadata import create_metadata_string
from saml2.s_utils import sid, success_status_factory
from saml2.saml import NAMEID_FORMAT_ENTITY, NAMEID_FORMAT_UNSPECIFIED, Issuer, NameID
from saml2.server import Server
from saml2.time_util import instant

KVK_ATTRIBUTE = "urn:etoegang:1.11:attribute-represented:KvKnr"
LOA3 = "urn:etoegang:core:assurance-class:loa3"


class ReleaseWhatTheBrokerVouchesFor(Policy):
    """eHerkenning brokers send the organisation's KVK-nummer whatever the SP's metadata requests (that names
    only its ServiceID); pysaml2's default policy would drop every attribute not requested."""

    def restrict(self, ava, sp_entity_id, metadata=None):
        return ava


def _without_declaration(xml: str) -> str:
    xml = xml.strip()
    return xml.split("?>", 1)[1].strip() if xml.startswith("<?xml") else xml


def key_pair(common_name: str, folder: Path) -> tuple[Path, Path]:
    """A 2048-bit RSA key and a self-signed certificate, as PEM files in `folder`."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=30)).sign(key, hashes.SHA256()))
    key_path, cert_path = folder / f"{common_name}.key", folder / f"{common_name}.crt"
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return key_path, cert_path


class LocalBroker:
    """pysaml2 IdP + an HTTP server for its artifact resolution service."""

    def __init__(self, folder: Path, entity_id="https://makelaar.test/saml"):
        self.folder = folder
        self.entity_id = entity_id
        self.key_file, self.cert_file = key_pair("makelaar", folder)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.base = f"http://127.0.0.1:{self._server.server_address[1]}"
        self.sso_url = f"{self.base}/sso"
        self.ars_url = f"{self.base}/artifact"
        self.resolve_requests = []
        self.idp = None

    def metadata_xml(self) -> bytes:
        """The broker's metadata without the SP (the portal is told about it first)."""
        return create_metadata_string(None, config=self._config(sp_metadata=None), valid=24).replace(
            b"<?xml version='1.0' encoding='UTF-8'?>", b"")

    def _config(self, sp_metadata):
        config = IdPConfig()
        config.load({
            "entityid": self.entity_id,
            "service": {"idp": {
                "endpoints": {
                    # brokers list both bindings (the portal's metadata parser asks for Redirect; it posts)
                    "single_sign_on_service": [(self.sso_url, BINDING_HTTP_REDIRECT),
                                               (self.sso_url, BINDING_HTTP_POST)],
                    "artifact_resolution_service": [(self.ars_url, BINDING_SOAP, 1)],
                },
                "name_id_format": [NAMEID_FORMAT_UNSPECIFIED],
                "want_authn_requests_signed": True,
            }},
            "key_file": str(self.key_file),
            "cert_file": str(self.cert_file),
            "metadata": {"inline": [sp_metadata]} if sp_metadata else {},
            "xmlsec_binary": "/usr/bin/xmlsec1",
            "allow_unknown_attributes": True,
            "accepted_time_diff": 60,
        })
        return config

    def trust(self, sp_metadata: bytes):
        """Load the portal's SAML metadata (as a broker does when the service is registered)."""
        self.idp = Server(config=self._config(sp_metadata.decode()))

    def start(self):
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self):
        self._server.shutdown()
        self._server.server_close()

    def authenticate(self, saml_request: str, *, kvk: str, subject: str, loa: str = LOA3, status=None) -> str:
        """The officer logs in at the broker: check the portal's signed AuthnRequest and return an artifact for
        the signed Response that the ACS will resolve."""
        parsed = self.idp.parse_authn_request(saml_request, BINDING_HTTP_POST)
        request = parsed.message
        acs = request.assertion_consumer_service_url or self.idp.config.metadata.assertion_consumer_service(
            request.issuer.text)[0]["location"]
        if status is not None:
            response = self.idp.create_error_response(request.id, acs, status, sign=True)
        else:
            response = self.idp.create_authn_response(
                identity={KVK_ATTRIBUTE: [kvk]}, in_response_to=request.id, destination=acs,
                sp_entity_id=request.issuer.text, name_id=NameID(format=NAMEID_FORMAT_UNSPECIFIED, text=subject),
                authn={"class_ref": loa, "authn_auth": self.entity_id}, sign_assertion=True, sign_response=False,
                release_policy=ReleaseWhatTheBrokerVouchesFor(mds=self.idp.metadata))
        self.acs_url = acs
        # SAMLBind 3.6.4: type code 0x0004, endpoint index as a 2-byte integer, SHA-1 of our entity ID, a random
        # handle. (pysaml2's use_artifact writes the index as two ASCII hex digits, which no SP reads as 1.)
        artifact = base64.b64encode(b"\x00\x04" + (1).to_bytes(2, "big") + hashlib.sha1(
            self.entity_id.encode()).digest() + secrets.token_bytes(20)).decode()
        self.idp.artifact[artifact] = str(response)
        return artifact

    def _handler(self):
        broker = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"])).decode()
                broker.resolve_requests.append(body)
                resolve = broker.idp.parse_artifact_resolve(body)
                signed_response = broker.idp.artifact.pop(resolve.artifact.text, "")  # an artifact works once
                answer = samlp.ArtifactResponse(
                    id=sid(), version="2.0", issue_instant=instant(), in_response_to=resolve.id,
                    issuer=Issuer(text=broker.entity_id, format=NAMEID_FORMAT_ENTITY), status=success_status_factory())
                xml = _without_declaration(str(answer))
                # The signed Response goes into the ArtifactResponse as it is: re-serialising it would break the
                # signature.
                head, tail = xml.rsplit("</", 1)
                xml = head + _without_declaration(signed_response) + "</" + tail
                envelope = ('<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/">'
                            f"<SOAP-ENV:Body>{xml}</SOAP-ENV:Body></SOAP-ENV:Envelope>")
                payload = envelope.encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/xml")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        return Handler
