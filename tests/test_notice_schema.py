"""The carried OCDS schemas load, and the validator reports errors by path with format checking on."""

from __future__ import annotations

from portal.services.notices import validation


def test_carried_uk_schema_is_the_merged_release_schema():
    schema = validation.release_schema()
    assert schema["id"] == validation.RELEASE_SCHEMA_URL
    assert "cabinetoffice/ocds_uk_extension" in schema["$comment"]
    assert "standstillPeriod" in schema["definitions"]["Award"]["properties"]


def test_release_errors_name_the_path_and_check_formats():
    errors = validation.release_errors({"ocid": "ocds-h6vhtk-x", "id": "1", "tag": ["award"], "date": "yesterday",
                                        "initiationType": "tender"})  # fmt: skip
    assert [(e.path, e.message) for e in errors] == [("date", "'yesterday' is not a 'date-time'")]


def test_package_releases_are_checked_against_the_uk_schema():
    package = {
        "uri": "https://portal.example/ocds/1.json",
        "version": "1.1",
        "publishedDate": "2026-03-10T09:00:00Z",
        "publisher": {"name": "Framework Portal"},
        "releases": [{"ocid": "o", "id": "1", "tag": ["award"], "date": "2026-03-10T09:00:00Z",
                      "initiationType": "tender", "awards": [{"id": "1", "assessmentSummariesDateSent": "soon"}]}],
    }  # fmt: skip
    errors = validation.package_errors(package)
    assert [e.path for e in errors] == ["releases/0/awards/0/assessmentSummariesDateSent"]
    assert str(errors[0]).startswith("releases/0/awards/0/assessmentSummariesDateSent: ")
