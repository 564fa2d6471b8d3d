"""The French documentation page of the API, made from its OpenAPI schema (so the two cannot
disagree): each operation with its address, parameters, answer fields and errors. Rendered on
the server: no script, no CDN, within the site's CSP, readable without JavaScript."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

TYPE_NAMES = {
    "string": "texte",
    "integer": "entier",
    "number": "nombre",
    "boolean": "booléen",
    "array": "liste",
    "object": "objet",
    "null": "null",
}
FORMAT_NAMES = {"date": "date (AAAA-MM-JJ)", "date-time": "date et heure (ISO 8601)"}
STATUS_TEXT = {
    "200": "Réponse",
    "400": "Paramètre invalide",
    "404": "Introuvable",
    "429": "Trop de requêtes",
}


@dataclass
class Field:
    name: str
    type: str
    description: str
    depth: int = 0


@dataclass
class Operation:
    method: str
    path: str
    summary: str
    description: str
    anchor: str
    parameters: list[Field] = field(default_factory=list)
    fields: list[Field] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _ref(schema: dict, spec: dict) -> dict:
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = spec["components"]["schemas"][name]
    return schema


def _type(schema: dict, spec: dict) -> str:
    schema = _ref(schema, spec)
    if "anyOf" in schema:
        return " ou ".join(_type(option, spec) for option in schema["anyOf"])
    if "enum" in schema:
        return "un de\u00a0: " + ", ".join(f"«\u00a0{value}\u00a0»" for value in schema["enum"])
    kind = schema.get("type", "objet")
    name = FORMAT_NAMES.get(schema.get("format", ""), TYPE_NAMES.get(kind, kind))
    if kind == "array":
        return f"liste de {_type(schema.get('items', {}), spec)}"
    return name


def _object_of(schema: dict, spec: dict) -> dict | None:
    """The object a property holds, directly, in a list or as an option (null aside)."""
    schema = _ref(schema, spec)
    if schema.get("type") == "array":
        return _object_of(schema.get("items", {}), spec)
    for option in schema.get("anyOf", []):
        found = _object_of(option, spec)
        if found:
            return found
    return schema if "properties" in schema else None


def _fields(schema: dict, spec: dict, depth: int = 0) -> list[Field]:
    found = []
    schema = _ref(schema, spec)
    for name, prop in schema.get("properties", {}).items():
        resolved = _ref(prop, spec)
        description = prop.get("description") or resolved.get("description", "")
        inner = _object_of(prop, spec)
        kind = "objet" if inner is resolved else _type(prop, spec)
        if inner is not None and kind.startswith("liste"):
            kind = "liste d'objets"
        found.append(Field(name, kind, description, depth))
        if inner is not None and depth < 2:
            found.extend(_fields(inner, spec, depth + 1))
    return found


def operations(spec: dict[str, Any]) -> list[Operation]:
    found = []
    for path, methods in spec.get("paths", {}).items():
        for method, operation in methods.items():
            answers = operation.get("responses", {})
            body = answers.get("200", {}).get("content", {}).get("application/json", {})
            found.append(
                Operation(
                    method=method.upper(),
                    path=path,
                    summary=operation.get("summary", ""),
                    description=operation.get("description", ""),
                    anchor=operation.get("operationId", path.strip("/").replace("/", "-")),
                    parameters=[
                        Field(
                            parameter["name"],
                            _type(parameter.get("schema", {}), spec),
                            parameter.get("description", "")
                            or parameter.get("schema", {}).get("description", ""),
                        )
                        for parameter in operation.get("parameters", [])
                    ],
                    fields=_fields(body.get("schema", {}), spec),
                    errors=[
                        f"{status}\u00a0: {STATUS_TEXT.get(status, '')}"
                        for status in answers
                        if status != "200"
                    ],
                )
            )
    return found
