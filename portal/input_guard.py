"""What a request may carry, checked once for every route: bad input is a 404 or a GOV.UK page, never a 500.

- Ids in URLs: Flask's `int` converter is replaced by one that matches only 1 .. 2^31-1 (the PostgreSQL INTEGER
  every id column is), so /lots/18446744073709551616 is "Page not found" rather than an overflow in the database.
  String arguments (`<token>`, `<sha256>`) with control characters do not match either.
- Text: NUL and the other C0 control characters but tab, line feed and carriage return are removed from every
  query and form value (and field name) and from JSON strings as the request parses them. PostgreSQL refuses NUL
  in text outright, and nobody types the others; removing them where the request is parsed, rather than in each
  of ~100 forms or with a filter every new field would have to remember, covers request.args, request.form,
  request.values, WTForms and future JSON endpoints alike. Line breaks stay: text areas need them; a single-line
  value that must not hold one (a redirect, a mail header) is checked where it is used.
- Size: every request is at most the attachment limit plus a margin (MAX_CONTENT_LENGTH); a route without a file
  upload takes FORM_MAX_BYTES, a public one (sign-in) PUBLIC_FORM_MAX_BYTES. A declared length over the limit is
  refused with the 413 page before the body is read; a body without a length stops being read at the limit.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from flask import Flask, Request, abort, request
from werkzeug.datastructures import ImmutableMultiDict, MultiDict
from werkzeug.routing import IntegerConverter, UnicodeConverter, ValidationError

from portal.access import PUBLIC, rule_for
from portal.domain.whole_numbers import MAX_ID, whole_number

UPLOAD_ATTRIBUTE = "accepts_upload"
# The multipart envelope and the other fields around a file of the maximum size.
DEFAULT_REQUEST_MARGIN_BYTES = 1024 * 1024

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(value: str) -> str:
    """`value` without NUL and the other control characters nobody types (tab and line breaks stay)."""
    return _CONTROL.sub("", value) if _CONTROL.search(value) else value


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list):
        return [_clean(v) for v in value]
    if isinstance(value, dict):
        return {_clean(k): _clean(v) for k, v in value.items()}
    return value  # numbers, None, and uploaded files (their names are made safe where they are stored)


def _pairs(mapping: Any) -> Iterable[tuple[Any, Any]]:
    if mapping is None:
        return ()
    if isinstance(mapping, MultiDict):
        return mapping.items(multi=True)
    if isinstance(mapping, Mapping):
        return (
            (key, item)
            for key, value in mapping.items()
            for item in (value if isinstance(value, list | tuple) else [value])
        )
    return mapping


class CleanMultiDict(ImmutableMultiDict):
    """request.args, request.form and request.files as Werkzeug builds them, with the text cleaned."""

    def __init__(self, mapping: Any = None) -> None:
        super().__init__([(_clean(key), _clean(value)) for key, value in _pairs(mapping)])


class GuardedRequest(Request):
    parameter_storage_class = CleanMultiDict

    def get_json(self, force: bool = False, silent: bool = False, cache: bool = True) -> Any:
        return _clean(super().get_json(force=force, silent=silent, cache=cache))


class IdConverter(IntegerConverter):
    """`<int:...>`: a database id, 1 to 2^31-1, in plain digits; anything else matches no route (404)."""

    regex = r"\d{1,20}"

    def __init__(self, map, fixed_digits: int = 0, min: int | None = 1, max: int | None = MAX_ID, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=False)

    def to_python(self, value: str) -> int:
        number = whole_number(value, self.min if self.min is not None else 0, self.max or MAX_ID)
        if number is None:
            raise ValidationError()
        return number


class TextConverter(UnicodeConverter):
    """`<name>` / `<string:name>` without control characters (a %00 in a token matches no route)."""

    def to_python(self, value: str) -> str:
        if _CONTROL.search(value) or "\n" in value or "\r" in value or "\t" in value:
            raise ValidationError()
        return value


def accepts_upload(view: Callable) -> Callable:
    """Marks a view whose form carries a file: its requests may be as large as MAX_CONTENT_LENGTH."""
    setattr(view, UPLOAD_ATTRIBUTE, True)
    return view


def request_limit(app: Flask, endpoint: str | None) -> int:
    """The most bytes a request to `endpoint` may carry."""
    view = app.view_functions.get(endpoint or "")
    if view is not None and getattr(view, UPLOAD_ATTRIBUTE, False):
        return int(app.config["MAX_CONTENT_LENGTH"])
    if endpoint is None or rule_for(endpoint) == PUBLIC:
        return int(app.config["PUBLIC_FORM_MAX_BYTES"])
    return int(app.config["FORM_MAX_BYTES"])


def init_app(app: Flask) -> None:
    app.request_class = GuardedRequest
    app.url_map.converters["int"] = IdConverter
    app.url_map.converters["default"] = TextConverter
    app.url_map.converters["string"] = TextConverter
    if app.config.get("MAX_CONTENT_LENGTH") is None:
        margin = int(app.config.get("REQUEST_MARGIN_BYTES", DEFAULT_REQUEST_MARGIN_BYTES))
        app.config["MAX_CONTENT_LENGTH"] = int(app.config["MAX_ATTACHMENT_BYTES"]) + margin

    def limit_request_size() -> None:
        limit = min(request_limit(app, request.endpoint), int(app.config["MAX_CONTENT_LENGTH"]))
        request.max_content_length = limit  # a body without a declared length stops being read here
        if request.content_length is not None and request.content_length > limit:
            abort(413)  # refused on its declared length: not a byte of the body is read

    # First of all: before the CSRF check reads the form.
    app.before_request_funcs.setdefault(None, []).insert(0, limit_request_size)
