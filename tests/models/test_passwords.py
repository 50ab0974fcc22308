"""The rule for new passwords: at least 12 characters, not on the bundled list of common
passwords (whatever the case), the list read from the package itself."""

from __future__ import annotations

import pytest

from models.errors import InvalidError
from models.passwords import (
    COMMON_PASSWORDS_FILE,
    MIN_PASSWORD_LENGTH,
    check_new_password,
    common_passwords,
    is_common,
)
from seed.demo.accounts import DEMO_PASSWORD
from tests.web.helpers import PASSWORD


def test_twelve_characters_at_least():
    assert MIN_PASSWORD_LENGTH == 12
    with pytest.raises(InvalidError) as refused:
        check_new_password("Điện-Biên-1")  # 11 characters
    assert (refused.value.field, refused.value.msgid, refused.value.params) == (
        "password",
        "Password must have at least {n} characters.",
        {"n": 12},
    )
    check_new_password("Điện-Biên-12")


@pytest.mark.parametrize(
    "password", ["qwerty123456", "QWERTY123456", "Password1234", "1Q2W3E4R5T6Y"]
)
def test_a_common_password_is_refused_whatever_its_case(password):
    with pytest.raises(InvalidError) as refused:
        check_new_password(password, "new_password")
    assert refused.value.field == "new_password"
    assert refused.value.msgid == (
        "This password is on a list of commonly used passwords. Choose another one."
    )


def test_the_list_is_bundled_with_its_licence():
    assert COMMON_PASSWORDS_FILE.is_file()
    assert len(common_passwords()) > 45_000
    notice = (COMMON_PASSWORDS_FILE.parent / "NOTICE").read_text(encoding="utf-8")
    assert "MIT" in notice and "@zxcvbn-ts/language-common" in notice
    assert is_common("password") and not is_common("Mường Thanh mùa lúa chín")


def test_the_demo_and_test_passwords_meet_the_rule():
    check_new_password(DEMO_PASSWORD)
    check_new_password(PASSWORD)
