"""The first-run page, the library's filters and broken-file panel and starting without a display."""

from __future__ import annotations

import textwrap

import pytest
from PySide6.QtCore import Qt

from simulator.settings import Settings, load_settings
from tests.ui.conftest import BROKEN, SCENARIO

pytestmark = pytest.mark.gui


def test_first_run_explains_then_goes_to_the_microphone_check(qtbot, make_context):
    from simulator.ui.main_window import MainWindow

    win = MainWindow(make_context(Settings()))
    qtbot.addWidget(win)
    win.show()
    assert win.stack.currentWidget() is win.welcome and win.sidebar.isHidden()
    qtbot.keyClicks(win.welcome.name, "Priya")
    qtbot.keyClick(win.welcome.name, Qt.Key.Key_Return)
    assert win.stack.currentWidget() is win.calibration
    saved = load_settings(win.ctx.settings_file)
    assert saved.first_run_done and saved.trainee_name == "Priya"


def test_filters_and_broken_files(qtbot, make_context, scenario_dir):
    from simulator.ui.main_window import MainWindow

    security = textwrap.dedent(SCENARIO).replace("id: parcel", "id: door").replace("setting: retail",
                                                                                   "setting: security")
    (scenario_dir / "door.yaml").write_text(security, encoding="utf-8")
    (scenario_dir / "broken.yaml").write_text(BROKEN, encoding="utf-8")
    win = MainWindow(make_context())
    qtbot.addWidget(win)
    win.show()
    lib = win.library
    assert sorted(c.scenario.id for c in lib.visible_cards()) == ["door", "parcel"]
    security_button = next(b for b in lib.filters.buttons() if b.property("filter_key") == "security")
    qtbot.mouseClick(security_button, Qt.MouseButton.LeftButton)
    assert [c.scenario.id for c in lib.visible_cards()] == ["door"]
    assert lib.problems_panel.isVisible()
    assert "1 scenario file could not be loaded" == lib.problems_title.text()
    assert not lib.problems_text.isVisible()
    qtbot.mouseClick(lib.problems_toggle, Qt.MouseButton.LeftButton)
    assert lib.problems_text.isVisible()
    assert "broken.yaml:" in lib.problems_text.toPlainText()
    assert "Traceback" not in lib.problems_text.toPlainText()
    card = lib.cards[0]
    assert "Acknowledging the feeling" in " ".join(w.text() for w in card.findChildren(type(lib.greeting)))


def test_the_library_shows_other_settings_with_a_filter_each(qtbot, make_context, scenario_dir):
    from simulator.ui.main_window import MainWindow

    for sid, setting in (("desk", "healthcare"), ("lobby", "hotel"), ("bank", "call_centre")):
        text = textwrap.dedent(SCENARIO).replace("id: parcel", f"id: {sid}").replace("setting: retail",
                                                                                      f"setting: {setting}")
        (scenario_dir / f"{sid}.yaml").write_text(text, encoding="utf-8")
    win = MainWindow(make_context())
    qtbot.addWidget(win)
    win.show()
    lib = win.library
    filters = {b.property("filter_key"): b for b in lib.filters.buttons()}
    # The known settings in their order, then the others; only those the library has.
    assert list(filters) == ["all", "retail", "hotel", "healthcare", "call_centre"]
    assert [b.text() for b in filters.values()] == ["All", "Retail", "Hotel", "Healthcare reception", "Call centre"]
    # The filters shown before the library loaded are gone from the screen, not left lying over the title.
    shown = [w for w in lib.findChildren(type(filters["all"])) if w.objectName() == "filter" and w.isVisible()]
    assert sorted(shown, key=id) == sorted(filters.values(), key=id)
    qtbot.mouseClick(filters["healthcare"], Qt.MouseButton.LeftButton)
    [card] = lib.visible_cards()
    assert card.scenario.id == "desk"
    assert "Healthcare reception" in [w.text() for w in card.findChildren(type(lib.greeting))]


def test_no_display_gives_a_clear_message(monkeypatch, capsys):
    from simulator.ui import app

    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setattr(app.sys, "platform", "linux")
    assert app.run_app() == 2
    assert "no graphical display" in capsys.readouterr().err


@pytest.mark.parametrize("scale", [1.5, 2.0])
def test_large_text_fits_a_1280x720_window(qtbot, make_context, scale):
    """At 150% and 200% text nothing is wider than the window: columns stack and headings wrap instead
    of running off the edge."""
    from PySide6.QtWidgets import QApplication, QScrollArea

    from simulator.ui.main_window import MainWindow
    from simulator.ui.theme import apply_theme

    app = QApplication.instance()
    apply_theme(app, scale)
    try:
        win = MainWindow(make_context(Settings(first_run_done=True, trainee_name="Alex Morgan",
                                               voice_enabled=False, text_scale=scale)))
        qtbot.addWidget(win)
        win.resize(1280, 720)
        win.show()
        qtbot.waitExposed(win)

        def fits(page) -> None:
            qtbot.wait(20)
            scroll = page.findChild(QScrollArea)
            assert scroll.widget().minimumSizeHint().width() <= scroll.viewport().width(), type(page).__name__

        for show, page in ((win.show_library, win.library), (win.show_calibration, win.calibration),
                           (win.show_settings, win.settings_page)):
            show()
            fits(page)
        win.start_scenario("parcel")
        conversation = win.conversation
        conversation.presenter.begin()
        for _ in range(3):
            if conversation.presenter.runner.ended:
                break
            conversation.reply_box.setText("I'm so sorry, I can see how frustrating this is. I'll sort it now.")
            conversation._on_send_clicked()
        conversation.presenter.show_debrief()
        fits(win.debrief)
    finally:
        apply_theme(app, 1.0)


def test_the_largest_text_on_a_projector_keeps_the_cards_whole(qtbot, make_context):
    """At 250% on 1920x1080 the welcome and situation cards widen, so no button is squeezed below its text."""
    from PySide6.QtWidgets import QApplication

    from simulator.ui.main_window import MainWindow
    from simulator.ui.theme import apply_theme

    app = QApplication.instance()
    apply_theme(app, 2.5)
    try:
        win = MainWindow(make_context(Settings(voice_enabled=False, text_scale=2.5)))
        qtbot.addWidget(win)
        win.resize(1920, 1080)
        win.show()
        qtbot.waitExposed(win)
        qtbot.wait(20)
        for b in (win.welcome.skip_button, win.welcome.check_button):
            assert b.width() >= b.sizeHint().width(), b.text()
        win.welcome._on_skip_clicked()
        win.start_scenario("parcel")
        qtbot.wait(20)
        for b in (win.conversation.back_button, win.conversation.begin_button):
            assert b.width() >= b.sizeHint().width(), b.text()
        assert win.conversation.title.text() == win.conversation.title.full_text() or "…" in win.conversation.title.text()
    finally:
        apply_theme(app, 1.0)


def test_only_one_sidebar_item_looks_active(qtbot, window):
    """A sidebar item focused by a click does not keep its focus ring once another screen is shown."""
    window.activateWindow()
    window.show_calibration()
    window.nav_microphone.setFocus()
    assert window.nav_microphone.hasFocus()
    window.calibration.continue_button.click()  # "Continue to scenarios"
    assert window.nav_library.isChecked() and not window.nav_microphone.isChecked()
    assert not window.nav_microphone.hasFocus()
    looking_active = [b for b in window.nav.buttons() if b.isChecked() or b.hasFocus()]
    assert looking_active == [window.nav_library]


def test_enter_presses_the_focused_button_on_the_welcome_page(qtbot, make_context):
    """Tab to "Check my microphone" and press Enter: the microphone check opens (Qt's buttons take
    Enter only in dialogs; under Xvfb with a window manager Return did nothing here)."""
    from simulator.ui.main_window import MainWindow

    win = MainWindow(make_context(Settings(voice_enabled=False)))
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    assert win.stack.currentWidget() is win.welcome
    win.welcome.check_button.setFocus()
    qtbot.keyClick(win.welcome.check_button, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: win.stack.currentWidget() is win.calibration, timeout=2000)


@pytest.mark.parametrize(("room", "maximised"), [((1280, 720), True), ((1280, 800), True),
                                                 ((1366, 768), False), ((1920, 1080), False),
                                                 ((1280, 700), True)])
def test_the_window_opens_maximised_where_its_usual_size_and_title_bar_do_not_fit(room, maximised):
    from simulator.ui.main_window import opens_maximised

    assert opens_maximised(*room) is maximised


def test_every_button_on_every_page_is_pressed_by_enter(qtbot, window):
    """Qt's push buttons take Enter only in dialogs: every page's buttons are common.Button (issue 18)."""
    from PySide6.QtWidgets import QPushButton

    from simulator.ui.common import Button

    win = window
    # Every screen (each is built when first shown).
    pages = [win.welcome, win.library, win.calibration, win.settings_page, win.conversation, win.debrief,
             win.authoring, win.history, win.roster]
    assert win.stack.count() == len(pages)
    plain = [(type(page).__name__, b.text() or b.objectName()) for page in [win.sidebar, *pages]
             for b in page.findChildren(QPushButton) if not isinstance(b, Button)]
    assert plain == []
    # And one of them, by a real key event on the focused button.
    win.show_settings()
    win.activateWindow()
    qtbot.waitActive(win)
    target = next(b for b in win.library.findChildren(Button) if b.text() == "Check microphone")
    win.show_library()
    target.setFocus()
    qtbot.keyClick(target, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: win.stack.currentWidget() is win.calibration)


def test_the_window_opens_as_it_was_when_the_app_last_closed(qtbot, make_context, private_data_dir):
    from PySide6.QtCore import QRect

    from simulator.settings import load_settings
    from simulator.ui.main_window import MainWindow, place

    room = QRect(0, 0, 1920, 1080)
    first = MainWindow(make_context())
    qtbot.addWidget(first)
    place(first, first.ctx.settings, room)
    assert not first.isMaximized()  # the usual size fits a 1920x1080 screen
    first.showMaximized()  # the trainer maximised it for the projector
    first.close()
    saved = load_settings(private_data_dir / "settings.json")
    assert saved.window_geometry

    again = MainWindow(make_context(saved))
    qtbot.addWidget(again)
    place(again, saved, room)
    assert again.isMaximized()


def test_a_damaged_saved_place_opens_the_window_at_its_usual_size(qtbot, make_context):
    from PySide6.QtCore import QRect

    from simulator.settings import Settings
    from simulator.ui.main_window import USUAL_SIZE, MainWindow, place

    settings = Settings(first_run_done=True, trainee_name="Alex", voice_enabled=False, window_geometry="bm90IGEgcGxhY2U=")
    win = MainWindow(make_context(settings))
    qtbot.addWidget(win)
    place(win, settings, QRect(0, 0, 1920, 1080))
    assert win.isVisible() and (win.width(), win.height()) == USUAL_SIZE
