"""The OpenAPI description: every operation also names the answers it can give besides 200 (a bad parameter,
no or a refused token, another organisation's object, a page that does not exist, too many requests, a
format that cannot be given), and 304 for a conditional GET."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema

ERROR = {"type": "object", "additionalProperties": True,
         "description": "`detail` met de reden, of per parameter een lijst met fouten"}
ANSWERS = {
    "400": "Ongeldige parameter (de reden staat bij de parameter)",
    "401": "Geen, een onbekende of een ingetrokken token",
    "403": "Deze token mag dit object niet zien",
    "404": "Bestaat niet (of is niet gepubliceerd), of een pagina voorbij de laatste",
    "406": "Het gevraagde formaat kan niet (alleen JSON en CSV)",
    "429": "Te veel verzoeken met deze token (of van dit adres); probeer het na Retry-After seconden opnieuw",
}


class ApiAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        media_types = self.map_renderers("media_type")
        for code, description in ANSWERS.items():
            responses.setdefault(code, {
                "description": description,
                "content": {media_type: {"schema": ERROR if media_type == "application/json" else {"type": "string"}}
                            for media_type in media_types},
            })
        responses.setdefault("304", {"description": "Niet gewijzigd sinds de ETag of datum in het verzoek"})
        return responses


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.auth.TokenAuthentication"
    name = "token"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer",
                "description": "Een token van de beheerder van het portaal, voor één gemeente of voor het ministerie."}
