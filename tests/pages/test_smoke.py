"""Every page file runs without an exception, signed out and signed in with each role."""

from pathlib import Path

import pytest

from tests.conftest import ROLES, RunningServer
from tests.pages.conftest import PAGE_FILES, page, signed_in


@pytest.mark.parametrize("page_file", PAGE_FILES, ids=lambda p: p.stem)
def test_every_page_runs_signed_out(shop: RunningServer, page_file: Path) -> None:
    at = page(page_file.stem).run()

    assert not at.exception


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page_file", PAGE_FILES, ids=lambda p: p.stem)
def test_every_page_runs_for_every_role(shop: RunningServer, page_file: Path, role: str) -> None:
    at = signed_in(page(page_file.stem), shop, role).run()

    assert not at.exception
