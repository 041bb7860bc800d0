"""The entry script: what the navigation offers before and after signing in, and signing out."""

from streamlit.testing.v1 import AppTest

from dashboards.lib import session
from oms_ops.client import Unauthorized
from tests.conftest import TEST_PASSWORD, RunningServer
from tests.pages.conftest import APP, signed_in


def app() -> AppTest:
    return AppTest.from_file(APP, default_timeout=20)


def test_signed_out_only_the_sign_in_page_is_reachable(shop: RunningServer) -> None:
    at = app().run()

    assert not at.exception
    assert at.title[0].value == "Sign in"
    assert not at.sidebar.button


def test_signing_in_opens_the_first_page_of_the_role(shop: RunningServer) -> None:
    at = app().run()
    at.text_input(key="signin_username").input("finance")
    at.text_input(key="signin_password").input(TEST_PASSWORD)

    at.button(key="signin_submit").click().run()

    assert not at.exception
    assert at.title[0].value == "Orders"
    assert "Signed in as **finance**" in at.sidebar.caption[0].value


def test_a_sales_clerk_lands_on_new_order(shop: RunningServer) -> None:
    at = signed_in(app(), shop, "sales").run()

    assert at.title[0].value == "New order"


def test_signing_out_ends_the_session_on_the_server(shop: RunningServer) -> None:
    at = signed_in(app(), shop, "manager", fresh=True).run()
    token = at.session_state[session.TOKEN]

    at.button(key="app_sign_out").click().run()

    assert at.title[0].value == "Sign in"
    assert session.TOKEN not in at.session_state
    with shop.system_client() as client:
        client.token = token
        try:
            client.me()
        except Unauthorized:
            pass
        else:
            raise AssertionError("the token still works after signing out")


def test_an_expired_session_returns_to_sign_in_with_a_notice(shop: RunningServer) -> None:
    at = signed_in(app(), shop, "sales").run()
    at.session_state[session.TOKEN] = "no-longer-valid"

    at.run()

    assert at.title[0].value == "Sign in"
    assert "Your session has ended" in at.info[0].value
