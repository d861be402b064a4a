"""A shared-database URL that cannot be right (a port that is not a number, out of range, an unknown
kind of database) is refused with a message: at start the station keeps its records locally and
says why, and the Settings page does not save it."""

from __future__ import annotations

import pytest

from simulator.records.db import DatabaseUnavailable, url_problem
from simulator.records.store import SessionStore

BAD = {
    "postgresql+psycopg://trainer:secret@server:abc/records": "port 'abc' is not a number",
    "postgresql+psycopg://trainer:secret@server:/records": "port '' is not a number",
    "postgresql+psycopg://trainer:secret@server:99999/records": "port 99999",
    "postgresql+psycopg://trainer:secret@[::1:5432/records": "not a valid URL",
    "mysql://trainer:secret@server/records": "unsupported database 'mysql'",
}


@pytest.mark.parametrize("url", list(BAD))
def test_a_url_that_cannot_be_right_is_explained_without_its_password(url):
    problem = url_problem(url)
    assert problem is not None and BAD[url] in problem and "secret" not in problem
    with pytest.raises(DatabaseUnavailable) as caught:
        SessionStore(url=url)
    assert BAD[url] in str(caught.value) and "secret" not in str(caught.value)


def test_good_urls_pass():
    for url in ("postgresql+psycopg://trainer:secret@server:5432/records", "postgresql+psycopg://server/records",
                "sqlite:///tmp/x.db", "sqlite://"):
        assert url_problem(url) is None


def test_the_app_starts_with_a_non_numeric_port_and_says_so(private_data_dir, monkeypatch):
    from simulator.settings import Settings, save_settings, settings_path
    from simulator.ui import context as context_module
    from simulator.ui.context import AppContext, Devices

    monkeypatch.setattr(context_module, "create_devices", lambda settings: Devices())
    save_settings(Settings(database_url="postgresql+psycopg://trainer:secret@server:abc/records"), settings_path())
    ctx = AppContext.for_app()
    try:
        assert ctx.store.url.startswith("sqlite") and ctx.store.saving
        assert len(ctx.startup_notices) == 1
        notice = ctx.startup_notices[0]
        assert "port 'abc' is not a number" in notice and "kept on this computer" in notice
        assert "secret" not in notice
    finally:
        ctx.tasks.wait(2000)
        ctx.store.close()


@pytest.mark.gui
def test_settings_refuse_a_non_numeric_port_before_trying_it(qtbot, window):
    win = window
    win.show_settings()
    store = win.ctx.store
    win.settings_page.database.setText("postgresql+psycopg://trainer:secret@server:abc/records")
    assert not win.settings_page.save()
    status = win.settings_page.status.text()
    assert "port 'abc' is not a number" in status and "secret" not in status
    assert win.ctx.store is store and win.ctx.settings.database_url is None
