"""Store URLs a newcomer types: a password with '@' or ':' unencoded, a port that is not a
number. Each is one line that shows nothing of the password and says how to encode it."""

from __future__ import annotations

import pytest

from pager_lab.classroom.target import StoreError, store_url
from tests.helpers import pager_lab

BAD_URLS = [
    ("postgresql://lab:p@ss:w0rd@127.0.0.1:55432/class", ("p@ss", "w0rd", "ss:")),
    ("postgresql://lab:p@ss@127.0.0.1:55432/class", ("p@ss", "ss@")),
    ("postgresql://lab:secret@127.0.0.1:port/class", ("secret",)),
]


@pytest.mark.parametrize(("url", "secrets"), BAD_URLS)
def test_a_bad_store_url_is_refused_without_any_of_its_password(url, secrets):
    with pytest.raises(StoreError) as caught:
        store_url(url)
    message = str(caught.value)
    assert "%40" in message and "postgresql://…" in message
    for secret in secrets:
        assert secret not in message


@pytest.mark.parametrize(("url", "secrets"), BAD_URLS)
def test_class_submit_with_a_bad_store_url_is_one_line_without_the_password(url, secrets, tmp_path):
    import json

    from pager_lab.core import DrillSession, load_drill_library
    from tests.helpers import DATA

    session = DrillSession(load_drill_library(DATA / "drills")["db-runaway-query"], seed=3)
    session.choose("ack")
    (tmp_path / "d.json").write_text(json.dumps({"save": session.to_dict()}))
    done = pager_lab("class", "submit", "d.json", "--handle", "eve", "--store", url, cwd=tmp_path)
    for shown in (done.stderr, done.stdout):
        for secret in secrets:
            assert secret not in shown, shown
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr


def test_a_percent_encoded_password_is_a_good_url():
    url = store_url("postgresql://lab:p%40ss%3Aw0rd@127.0.0.1:55432/class")
    assert (url.password, url.host, url.port) == ("p@ss:w0rd", "127.0.0.1", 55432)
