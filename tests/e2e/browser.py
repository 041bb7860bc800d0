"""What a person does in the browser, shared by the browser tests: sign in, pick from a select box."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.conftest import TEST_PASSWORD


def sign_in(page: Page, url: str, username: str) -> None:
    page.goto(url)
    page.wait_for_selector('[data-testid="stApp"]')
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password", exact=True).fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text(f"Signed in as {username}")).to_be_visible()


def choose(page: Page, label: str, text: str) -> None:
    box = page.get_by_role("combobox", name=label)
    box.click()
    box.fill(text)
    page.keyboard.press("Enter")
