"""Checks an OCDS release or release package against the schemas the portal carries (schema/README.md).

Draft 4 (the OCDS schemas' draft) with format checking, so a date-time that is not RFC 3339 is an error. The package
schema refers to the release schema by its published URL; a referencing Registry maps that URL to the UK release
schema (OCDS 1.1.5 with Find a Tender's extensions), so a package is checked against what Find a Tender accepts,
and nothing is fetched over the network.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft4Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

RELEASE_SCHEMA_URL = "https://standard.open-contracting.org/schema/1__1__5/release-schema.json"
RELEASE_SCHEMA_FILE = "release-schema-1.1.5-uk.json"
PACKAGE_SCHEMA_FILE = "release-package-schema-1.1.5.json"


@dataclass(frozen=True)
class SchemaError:
    path: str  # where in the document, e.g. "awards/0/value/amount" ("(top level)" for the whole document)
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


def _load(name: str) -> dict[str, Any]:
    text = resources.files("portal.services.notices").joinpath("schema", name).read_text(encoding="utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


@cache
def release_schema() -> dict[str, Any]:
    return _load(RELEASE_SCHEMA_FILE)


@cache
def package_schema() -> dict[str, Any]:
    return _load(PACKAGE_SCHEMA_FILE)


@cache
def _registry() -> Registry:
    resource = Resource.from_contents(release_schema(), default_specification=DRAFT4)
    return Registry().with_resource(RELEASE_SCHEMA_URL, resource)


@cache
def _release_validator() -> Draft4Validator:
    return Draft4Validator(release_schema(), format_checker=Draft4Validator.FORMAT_CHECKER, registry=_registry())


@cache
def _package_validator() -> Draft4Validator:
    return Draft4Validator(package_schema(), format_checker=Draft4Validator.FORMAT_CHECKER, registry=_registry())


def _errors(validator: Draft4Validator, document: object) -> list[SchemaError]:
    found = sorted(validator.iter_errors(document), key=lambda e: [str(p) for p in e.absolute_path])
    return [SchemaError("/".join(str(p) for p in e.absolute_path) or "(top level)", e.message) for e in found]


def release_errors(release: object) -> list[SchemaError]:
    """Every way the release breaks the UK release schema (empty when it is valid)."""
    return _errors(_release_validator(), release)


def package_errors(package: object) -> list[SchemaError]:
    """Every way the release package breaks the package schema, its releases checked against the UK schema."""
    return _errors(_package_validator(), package)
