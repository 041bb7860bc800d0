from streamlit.testing.v1 import AppTest

from dashboards.lib import session
from tests.conftest import TEST_PASSWORD, RunningServer
from tests.pages.conftest import page


def fill_and_submit(at: AppTest, username: str, password: str) -> AppTest:
    at.text_input(key="signin_username").input(username)
    at.text_input(key="signin_password").input(password)
    return at.button(key="signin_submit").click().run()


def test_a_wrong_password_says_so_and_keeps_the_person_signed_out(shop: RunningServer) -> None:
    at = fill_and_submit(page("sign_in").run(), "sales", "not-the-password")

    assert not at.exception
    assert "Wrong user name or password" in at.error[0].value
    assert session.TOKEN not in at.session_state


def test_the_right_password_keeps_a_working_token_in_the_session(shop: RunningServer) -> None:
    at = fill_and_submit(page("sign_in").run(), "sales", TEST_PASSWORD)

    assert not at.exception
    assert "Signed in as sales" in at.success[0].value
    with shop.system_client() as system:
        system.token = at.session_state[session.TOKEN]
        assert system.me().username == "sales"


def test_an_empty_form_asks_for_name_and_password(shop: RunningServer) -> None:
    at = page("sign_in").run().button(key="signin_submit").click().run()

    assert "Enter your user name and password" in at.error[0].value
