"""Importers of real exports: every format, detection, every bad-data reason, censoring,
pseudonymisation. The tables must have exactly the core's incidents schema."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from pager_lab.alerting.import_rows import REASONS
from pager_lab.alerting.import_table import Pseudonymiser
from pager_lab.alerting.importing import (
    SALT_ENV,
    detect_format,
    load_export,
    pseudonymise,
    read_salt,
    write_import,
)
from pager_lab.core.errors import ConfigError
from pager_lab.core.tables import INCIDENTS, PAGES, TIMESTAMP

FIELDS = [
    "id",
    "incident_number",
    "created_at",
    "resolved_at",
    "seconds_to_first_ack",
    "seconds_to_resolve",
    "urgency",
    "priority_name",
    "service_name",
    "team_name",
    "major",
    "business_hour_interruptions",
    "off_hour_interruptions",
    "sleep_hour_interruptions",
    "engaged_user_count",
    "escalation_count",
]


def pd_row(n: int, **changes: object) -> dict[str, object]:
    """A PagerDuty Analytics raw incident: created at n hours past 2026-03-02 09:00 UTC."""
    row: dict[str, object] = {
        "id": f"P{n:04d}",
        "incident_number": n,
        "created_at": f"2026-03-02T{9 + n:02d}:00:00Z",
        "resolved_at": f"2026-03-02T{9 + n:02d}:50:00Z",
        "seconds_to_first_ack": 120,
        "seconds_to_resolve": 3000,
        "urgency": "high",
        "priority_name": "P2",
        "service_name": "checkout-api",
        "team_name": "Payments",
        "major": False,
        "business_hour_interruptions": 1,
        "off_hour_interruptions": 0,
        "sleep_hour_interruptions": 0,
        "engaged_user_count": 1,
        "escalation_count": 0,
    }
    row.update(changes)
    return row


def write(tmp: Path, name: str, text: str) -> Path:
    target = tmp / name
    target.write_text(text, encoding="utf-8")
    return target


def as_csv(rows: list[dict[str, object]], fields: list[str] = FIELDS) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fields)
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "" if v is None else v for k, v in row.items() if k in fields})
    return out.getvalue()


def assert_core_schema(table: pd.DataFrame) -> None:
    assert list(table.columns) == list(INCIDENTS)
    for column, dtype in INCIDENTS.items():
        if dtype == TIMESTAMP:
            assert isinstance(table[column].dtype, pd.DatetimeTZDtype), column
        elif dtype == "str":
            assert table[column].map(type).eq(str).all(), column
        else:
            assert table[column].dtype == np.dtype(dtype), column


def test_pagerduty_json_gives_the_core_incidents_table(tmp_path: Path):
    rows = [pd_row(1), pd_row(2, resolved_at=None, seconds_to_resolve=None, urgency="low")]
    result, said = load_export(write(tmp_path, "pd.json", json.dumps({"data": rows})))
    assert said.startswith("format: pagerduty-json (detected:")
    assert_core_schema(result.incidents)
    first = result.incidents.iloc[0]
    assert (first["time_to_acknowledge"], first["time_to_resolve"]) == (2.0, 50.0)
    assert (first["severity"], first["service"], first["resolution"]) == (
        "SEV2",
        "checkout-api",
        "fixed",
    )
    assert result.open_incidents == 1  # kept, right-censored: resolved_minute empty
    assert np.isnan(result.incidents.iloc[1]["resolved_minute"])
    assert bool(result.incidents.iloc[1]["low_urgency"])
    assert result.extras is not None and list(result.extras["business_hour_interruptions"]) == [
        1,
        1,
    ]


def test_pagerduty_csv_reads_the_same_as_json(tmp_path: Path):
    rows = [pd_row(1), pd_row(2, priority_name="")]
    from_csv, said = load_export(write(tmp_path, "pd.csv", as_csv(rows)))
    from_json, _ = load_export(write(tmp_path, "pd.json", json.dumps(rows)))
    assert said.startswith("format: pagerduty-csv (detected:")
    pd.testing.assert_frame_equal(from_csv.incidents, from_json.incidents)
    assert from_csv.incidents["severity"].tolist() == ["SEV2", "SEV2"]
    assert any("1 incident(s) have no priority" in n for n in from_csv.notes)


def test_missing_columns_are_named(tmp_path: Path):
    rows = [{k: v for k, v in pd_row(1).items() if k not in ("urgency", "major")}]
    with pytest.raises(ConfigError, match="missing: urgency, major"):
        load_export(write(tmp_path, "pd.csv", as_csv(rows, [f for f in FIELDS if f in rows[0]])))


STATUSPAGE = {
    "page": {"id": "x", "name": "Example Status"},
    "incidents": [
        {
            "id": "sp1",
            "name": "Elevated API errors",
            "created_at": "2026-03-02T10:00:00.000Z",
            "resolved_at": "2026-03-02T11:30:00.000Z",
            "impact": "major",
            "components": [{"name": "API"}],
            "incident_updates": [
                {"status": "investigating", "created_at": "2026-03-02T10:00:00.000Z"},
                {"status": "identified", "created_at": "2026-03-02T10:12:00.000Z"},
                {"status": "resolved", "created_at": "2026-03-02T11:30:00.000Z"},
            ],
        },
        {
            "id": "sp2",
            "name": "Slow dashboard",
            "created_at": "2026-03-03T10:00:00.000Z",
            "resolved_at": None,
            "impact": "minor",
            "incident_updates": [],
        },
    ],
}


def test_statuspage_incidents(tmp_path: Path):
    result, said = load_export(write(tmp_path, "incidents.json", json.dumps(STATUSPAGE)))
    assert said.startswith("format: statuspage (detected:")
    assert_core_schema(result.incidents)
    first, second = result.incidents.iloc[0], result.incidents.iloc[1]
    assert (first["service"], first["severity"], first["time_to_acknowledge"]) == (
        "API",
        "SEV2",
        12.0,
    )
    assert first["time_to_resolve"] == 90.0
    assert (second["service"], second["severity"], bool(second["low_urgency"])) == (
        "Example Status",
        "SEV3",
        True,
    )
    assert result.open_incidents == 1
    assert any("what customers were told" in n for n in result.notes)


MAPPING = """
[columns]
id = "ticket"
created = "opened"
acknowledged = "acked"
resolved = "closed"
severity = "sev"
service = "component"
responder = "owner"

[timestamps]
format = "%d/%m/%Y %H:%M"
zone = "Europe/Dublin"

[severity]
crit = "SEV1"
major = "SEV2"
"""
MAPPED_CSV = (
    "ticket,opened,acked,closed,sev,component,owner\n"
    "T1,01/07/2026 03:00,01/07/2026 03:04,01/07/2026 04:00,crit,db,Alice\n"
    "T2,01/07/2026 10:00,01/07/2026 10:01,,major,api,Bob\n"
)


def test_csv_with_a_mapping_reads_local_times_and_gives_pages(tmp_path: Path):
    mapping = write(tmp_path, "map.toml", MAPPING)
    result, said = load_export(write(tmp_path, "tickets.csv", MAPPED_CSV), mapping=mapping)
    assert said == "format: csv-mapped (detected: a column mapping was given)"
    assert_core_schema(result.incidents)
    assert result.zone == "Europe/Dublin"
    first = result.incidents.iloc[0]
    assert first["triggered"].isoformat() == "2026-07-01T03:00:00+01:00"  # summer time
    assert (first["time_to_acknowledge"], first["acknowledged_by"], first["severity"]) == (
        4.0,
        "Alice",
        "SEV1",
    )
    assert result.open_incidents == 1
    pages = result.pages
    assert pages is not None and list(pages.columns) == list(PAGES)
    assert pages["window"].astype(str).tolist() == ["sleep", "business"]


def test_a_mapping_is_validated(tmp_path: Path):
    bad = write(tmp_path, "map.toml", '[columns]\nopened = "x"\n')
    with pytest.raises(ConfigError, match=r"columns\.opened"):
        load_export(write(tmp_path, "t.csv", MAPPED_CSV), mapping=bad)
    missing = write(tmp_path, "map2.toml", '[columns]\ncreated = "start_time"\n')
    with pytest.raises(ConfigError, match="start_time"):
        load_export(write(tmp_path, "t.csv", MAPPED_CSV), mapping=missing)


def test_replay_lines_with_received_at(tmp_path: Path):
    lines = [
        {"received_at": "2026-11-27T03:00:00Z", "event": _trigger("db")},
        {"received_at": "2026-11-27T03:02:00Z", "event": _action("acknowledge", "db")},
        {"received_at": "2026-11-27T03:05:00Z", "event": _action("resolve", "db")},
    ]
    text = "\n".join(json.dumps(line) for line in lines) + "\n"
    result, said = load_export(write(tmp_path, "replay.jsonl", text))
    assert said.startswith("format: replay (detected:")
    assert_core_schema(result.incidents)
    row = result.incidents.iloc[0]
    assert (row["time_to_acknowledge"], row["time_to_resolve"], row["severity"]) == (
        2.0,
        5.0,
        "SEV1",
    )
    assert result.notes == []  # nothing borrowed


def _trigger(key: str) -> dict[str, object]:
    return {
        "routing_key": "R0UT1NGKEY",
        "event_action": "trigger",
        "dedup_key": key,
        "payload": {"summary": "DB down", "source": "db-1", "severity": "critical"},
    }


def _action(action: str, key: str) -> dict[str, object]:
    return {"routing_key": "R0UT1NGKEY", "event_action": action, "dedup_key": key}


def test_detection_says_what_it_chose_and_refuses_what_it_cannot_tell(tmp_path: Path):
    cases = {
        "a.json": (json.dumps({"data": [pd_row(1)]}), "pagerduty-json"),
        "a.csv": (as_csv([pd_row(1)]), "pagerduty-csv"),
        "b.json": (json.dumps(STATUSPAGE), "statuspage"),
        "c.jsonl": (json.dumps(_trigger("k")) + "\n" + json.dumps(_trigger("j")), "replay"),
    }
    for name, (text, expected) in cases.items():
        fmt, why = detect_format(Path(name), text)
        assert fmt == expected and why, name
    with pytest.raises(ConfigError, match="needs --mapping FILE"):
        detect_format(Path("x.csv"), "when,what\n2026-01-01,x\n")


# Every reason a row is rejected for: one bad row each, beside good ones.
BAD_ROWS = {
    "missing-value": pd_row(3, created_at=""),
    "unparseable-timestamp": pd_row(3, created_at="yesterday at noon"),
    "zone-less-timestamp": pd_row(3, created_at="2026-03-02T12:00:00"),
    "mixed-zones": pd_row(3, created_at="2026-03-02T12:00:00+05:30"),
    "resolved-before-created": pd_row(3, resolved_at="2026-03-02T08:00:00Z"),
    "negative-duration": pd_row(3, seconds_to_first_ack=-60),
    "duplicate-id": pd_row(3, id="P0001"),
    "bad-value": pd_row(3, urgency="urgent"),
}


def test_bad_rows_are_counted_by_reason_and_written_to_rejects(tmp_path: Path):
    assert set(BAD_ROWS) == set(REASONS)  # every reason has a case here
    rows = [pd_row(1), pd_row(2), *BAD_ROWS.values()]
    result, _ = load_export(write(tmp_path, "pd.json", json.dumps({"data": rows})))
    assert len(result.incidents) == 2
    assert result.reject_counts() == dict.fromkeys(REASONS, 1)
    written = write_import(result, tmp_path / "out")
    rejects = pd.read_csv(tmp_path / "out" / "rejects.csv")
    assert sorted(rejects["reason"]) == sorted(REASONS)
    assert rejects["row"].tolist() == list(range(3, 3 + len(BAD_ROWS)))
    first = rejects.iloc[0]
    assert (first["field"], first["expected"]) == ("created_at", "a timestamp")
    assert json.loads(first["raw"])["id"] == "P0003"  # the row itself is kept
    account = json.loads((tmp_path / "out" / "import.json").read_text())
    assert account["rejected"] == dict.fromkeys(REASONS, 1)
    assert {p.name for p in written} >= {"incidents.csv", "rejects.csv", "import.json"}


def test_a_zone_with_daylight_saving_time_is_not_mixed_zones(tmp_path: Path):
    rows = [
        pd_row(1, created_at="2026-03-20T10:00:00+00:00", resolved_at="2026-03-20T11:00:00+00:00"),
        pd_row(2, created_at="2026-04-02T10:00:00+01:00", resolved_at="2026-04-02T11:00:00+01:00"),
    ]
    text = json.dumps({"data": rows})
    without, _ = load_export(write(tmp_path, "pd.json", text))
    assert without.reject_counts()["mixed-zones"] == 1
    with_zone, _ = load_export(write(tmp_path, "pd.json", text), zone="Europe/Dublin")
    assert with_zone.reject_counts()["mixed-zones"] == 0 and len(with_zone.incidents) == 2


def test_pseudonyms_are_stable_salted_and_the_salt_is_never_written(tmp_path, monkeypatch):
    salt = "pepper-Sa1t-do-not-print"
    rows = [pd_row(1), pd_row(2, service_name="ledger"), pd_row(3, urgency="urgent")]
    source = write(tmp_path, "pd.json", json.dumps({"data": rows}))
    result, _ = load_export(source)
    monkeypatch.setenv(SALT_ENV, salt)
    one = pseudonymise(result, Pseudonymiser(read_salt()))
    two = pseudonymise(result, Pseudonymiser(salt.encode()))
    other = pseudonymise(result, Pseudonymiser(b"another-salt"))
    assert one.incidents["service"].tolist() == two.incidents["service"].tolist()
    assert one.incidents["service"].tolist() != other.incidents["service"].tolist()
    assert "checkout-api" not in one.incidents["service"].tolist()
    assert one.incidents["service"].str.startswith("service-").all()
    write_import(one, tmp_path / "out")
    for file in (tmp_path / "out").iterdir():
        text = file.read_text(encoding="utf-8")
        assert salt not in text, file.name
        assert "checkout-api" not in text and "Payments" not in text, file.name
    assert salt not in repr(Pseudonymiser(salt.encode()))


def test_a_short_or_missing_salt_is_refused(tmp_path, monkeypatch):
    monkeypatch.delenv(SALT_ENV, raising=False)
    with pytest.raises(ConfigError, match=SALT_ENV):
        read_salt()
    short = write(tmp_path, "salt.txt", "abc\n")
    with pytest.raises(ConfigError, match="at least 8 characters") as info:
        read_salt(short)
    assert "abc" not in str(info.value)  # not even a short salt is echoed


def test_pseudonymised_rejects_keep_no_names(tmp_path: Path):
    mapping = write(tmp_path, "map.toml", MAPPING)
    broken = MAPPED_CSV + "T3,not a date,,,crit,payments-db,Carol\n"
    result, _ = load_export(write(tmp_path, "t.csv", broken), mapping=mapping)
    assert result.reject_counts()["unparseable-timestamp"] == 1
    hidden = pseudonymise(result, Pseudonymiser(b"a-long-salt"))
    raw = hidden.rejects[0].raw
    assert raw["owner"].startswith("person-") and raw["component"].startswith("service-")
    assert raw["opened"] == "not a date"  # the bad value itself is kept
    pseudo = Pseudonymiser(b"a-long-salt")
    assert set(hidden.pages["responder"]) == {pseudo("Alice", "person"), pseudo("Bob", "person")}
    incidents = dict(
        STATUSPAGE,
        incidents=[
            *STATUSPAGE["incidents"],
            {"id": "sp3", "impact": "huge", "created_at": "2026-03-04T10:00:00Z"},
        ],
    )
    status, _ = load_export(write(tmp_path, "s.json", json.dumps(incidents)))
    withheld = pseudonymise(status, Pseudonymiser(b"a-long-salt")).rejects[0]
    assert (withheld.reason, list(withheld.raw)) == ("bad-value", ["withheld"])


def test_a_mapping_reads_epoch_seconds_and_infers_urgency_from_severity(tmp_path: Path):
    mapping = write(
        tmp_path,
        "map.toml",
        '[columns]\ncreated = "t0"\nresolved = "t1"\nseverity = "level"\n'
        '[timestamps]\nformat = "epoch"\n',
    )
    text = "t0,t1,level\n1767258000,1767261600,warning\n1767258060,,critical\n"
    result, _ = load_export(write(tmp_path, "e.csv", text), mapping=mapping)
    rows = result.incidents
    assert rows["triggered"].iloc[0].isoformat() == "2026-01-01T09:00:00+00:00"
    assert rows["time_to_resolve"].iloc[0] == 60.0 and result.open_incidents == 1
    assert rows["severity"].tolist() == ["SEV3", "SEV1"]
    assert rows["low_urgency"].tolist() == [True, False]  # SEV3 low, SEV1 high, as in PagerDuty
    assert rows["incident_id"].tolist() == ["1", "2"]  # no id column: the row number
