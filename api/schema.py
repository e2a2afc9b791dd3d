"""The OpenAPI document: what the API Design Rules ask of it beyond drf-spectacular's
defaults — the ``API-Version`` header on every response and errors as problem details."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension

from .constants import API_VERSION

__all__ = ["ClientAuthenticationScheme", "design_rules_hook"]

PROBLEM_SCHEMA = {
    "type": "object",
    "description": "Problem details (RFC 9457).",
    "properties": {
        "type": {"type": "string", "format": "uri"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "invalidParams": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "name": {"type": "string"},
                    "code": {"type": "string"},
                    "reason": {"type": "string"},
                },
            },
        },
    },
    "required": ["type", "title", "status", "detail"],
}

VERSION_HEADER = {
    "description": "De volledige versie van de API (semantic versioning).",
    "schema": {"type": "string", "example": API_VERSION},
}


def design_rules_hook(result, generator, request, public):
    components = result.setdefault("components", {})
    components.setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    components.setdefault("headers", {})["API-Version"] = VERSION_HEADER
    for path in result.get("paths", {}).values():
        for operation in path.values():
            for code, response in operation.get("responses", {}).items():
                response.setdefault("headers", {})["API-Version"] = {
                    "$ref": "#/components/headers/API-Version"
                }
                if str(code).startswith(("4", "5")):
                    response["content"] = {
                        "application/problem+json": {
                            "schema": {"$ref": "#/components/schemas/Problem"}
                        }
                    }
    return result


class ClientAuthenticationScheme(OpenApiAuthenticationExtension):
    """OAuth 2 client credentials, with the scopes each operation needs."""

    target_class = "api.authentication.ClientAuthentication"
    name = "oauth2"

    def get_security_definition(self, auto_schema):
        from .constants import Scope

        return {
            "type": "oauth2",
            "flows": {
                "clientCredentials": {
                    "tokenUrl": "/api/v1/oauth/token",
                    "scopes": {str(s.value): str(s.label) for s in Scope},
                }
            },
        }

    def get_security_requirement(self, auto_schema):
        needed = getattr(auto_schema.view, "required_scopes", {}).get(auto_schema.method, [])
        return {self.name: [str(s) for s in needed]}
