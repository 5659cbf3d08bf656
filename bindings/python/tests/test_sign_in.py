import pytest

import trialog

from conftest import PASSWORD


def test_sign_in_with_a_password(populated):
    p = populated["platform"]
    kim_id = populated["kim"]["id"]
    p.set_password(kim_id, PASSWORD)
    kim = p.sign_in("kim_aus_jena", PASSWORD)
    assert kim.actor == f"account:{kim_id}"
    assert kim.account(kim_id)["email"] == "kim@example.org"
    # The account may change its own details and password, but not list everyone.
    kim.update_account(kim_id, perspective="relative")
    kim.set_password(kim_id, PASSWORD + "!")
    p.sign_in("Kim_aus_Jena", PASSWORD + "!")
    with pytest.raises(trialog.PermissionDeniedError):
        kim.set_password(populated["sam"]["id"], PASSWORD)


def test_wrong_password_and_unknown_pseudonym_look_the_same(populated):
    p = populated["platform"]
    p.set_password(populated["sam"]["id"], PASSWORD)
    with pytest.raises(trialog.PermissionDeniedError) as wrong:
        p.sign_in("Sam", "not the password")
    with pytest.raises(trialog.PermissionDeniedError) as unknown:
        p.sign_in("Nobody_here", PASSWORD)
    assert str(wrong.value) == str(unknown.value)
    assert wrong.value.reason == "the pseudonym or password is wrong"


def test_short_password_is_rejected(populated):
    with pytest.raises(trialog.InvalidInputError) as info:
        populated["platform"].set_password(populated["sam"]["id"], "kurz")
    assert info.value.field == "password"


def test_throttled_after_repeated_failures(populated):
    p = populated["platform"]
    lou = populated["lou"]["id"]
    p.set_password(lou, PASSWORD)
    for _ in range(5):  # five argon2 hashes: about a second in all
        with pytest.raises(trialog.PermissionDeniedError):
            p.sign_in("Lou 42", "guessing again")
    with pytest.raises(trialog.RateLimitedError) as info:
        p.sign_in("Lou 42", PASSWORD)  # even the right password waits
    assert info.value.kind == "rate_limited"
    assert 0 < info.value.retry_after_secs <= 30
    assert str(info.value.retry_after_secs) in str(info.value)
    # An operator resetting the password lifts the throttle.
    p.set_password(lou, PASSWORD)
    assert p.sign_in("Lou 42", PASSWORD).account_id == lou


def test_a_banned_account_cannot_sign_in(populated):
    p = populated["platform"]
    p.set_password(populated["sam"]["id"], PASSWORD)
    p.restrict_account(populated["sam"]["id"], "ban", reason="threats")
    with pytest.raises(trialog.PermissionDeniedError) as info:
        p.sign_in("Sam", PASSWORD)
    assert "banned" in info.value.reason
