import gc
import threading

import pytest

import trialog
from trialog import _trialog

ERRORS = {
    trialog.InvalidInputError: "invalid_input",
    trialog.NotFoundError: "not_found",
    trialog.PermissionDeniedError: "permission_denied",
    trialog.ConflictError: "conflict",
    trialog.AccountErasedError: "account_erased",
    trialog.RateLimitedError: "rate_limited",
    trialog.DatabaseInUseError: "database_in_use",
    trialog.StorageError: "storage",
    trialog.InternalError: "internal",
}


def test_hierarchy():
    assert issubclass(trialog.TrialogError, Exception)
    for cls, kind in ERRORS.items():
        assert issubclass(cls, trialog.TrialogError)
        assert cls.__module__ == "trialog"
        assert cls.kind == kind
        assert cls.__doc__


@pytest.mark.parametrize(
    "call, field",
    [
        (lambda p: p.create_account("x!"), "pseudonym"),
        (lambda p: p.create_account("Admin"), "pseudonym"),  # reserved
        (lambda p: p.create_account("Kim", perspective="patient"), "perspective"),
        (lambda p: p.create_account("Kim", home_region="Germany"), "home_region"),
        (lambda p: p.create_account("Kim", email="kim"), "email"),
        (lambda p: p.create_organisation("Haus", "clinic", "Germany"), "region"),
        (lambda p: p.create_organisation("  ", "clinic", "DE"), "name"),
        (lambda p: p.list_accounts(perspective="patient"), "perspective"),
        (lambda p: p.list_accounts(role="wizard"), "role"),
        (lambda p: trialog.Platform.open("unused.redb", durability="sometimes"), "durability"),  # type: ignore[arg-type]
    ],
)
def test_invalid_input_names_the_field(platform, call, field):
    with pytest.raises(trialog.InvalidInputError) as info:
        call(platform)
    err = info.value
    assert err.field == field
    assert err.kind == "invalid_input"
    assert err.reason and err.reason in str(err)
    assert str(err).startswith(f"invalid {field}: ")


def test_a_member_may_not_list_accounts(populated):
    kim = populated["platform"].acting_as("Kim_aus_Jena")
    with pytest.raises(trialog.PermissionDeniedError) as info:
        kim.list_accounts()
    assert info.value.action == "list accounts"
    assert info.value.reason
    with pytest.raises(trialog.PermissionDeniedError):
        list(kim.iter_accounts())
    with pytest.raises(trialog.PermissionDeniedError):
        kim.audit_log()
    # A moderator may.
    assert len(populated["platform"].acting_as("Mod_Mads").list_accounts()["items"]) == 5


def test_open_without_create_refuses_a_missing_file(tmp_path):
    path = tmp_path / "missing.redb"
    with pytest.raises(trialog.NotFoundError) as info:
        trialog.Platform.open(path, create=False)
    assert info.value.key == str(path)
    assert not path.exists()


def test_opening_an_open_file_twice(tmp_path):
    path = tmp_path / "platform.redb"
    first = trialog.Platform.open(path, cache_bytes=16 << 20)
    first.create_account("Kim")
    with pytest.raises(trialog.DatabaseInUseError) as info:
        trialog.Platform.open(str(path))
    assert info.value.path == str(path)
    assert info.value.kind == "database_in_use"
    handle = first.acting_as("Kim")
    del first, handle  # the last handle closes the file
    gc.collect()
    again = trialog.Platform.open(path, durability="eventual")
    assert again.account_by_pseudonym("kim")["id"] == 1
    again.create_account("Sam")
    again.flush()
    assert again.integrity()["accounts"] == 2


def test_integrity_report(populated):
    report = populated["platform"].integrity()
    assert report == {
        "schema_version": report["schema_version"],
        "organisations": 2,
        "accounts": 5,
        "audit_entries": 9,  # two organisations, five accounts, two role grants
        "forum_posts": 0,
        "file_intact": None,
        "problems": [],
    }


needs_faults = pytest.mark.skipif(
    not hasattr(_trialog, "_trigger_panic_for_tests"), reason="built without the fault-injection feature"
)


@needs_faults
def test_a_panic_becomes_internal_error():
    with pytest.raises(trialog.InternalError) as info:
        _trialog._trigger_panic_for_tests()
    assert info.value.kind == "internal"
    assert "panic" in info.value.detail


@needs_faults
def test_a_panic_inside_the_core_leaves_the_platform_usable(populated):
    p = populated["platform"]
    kim = p.acting_as("Kim_aus_Jena")
    _trialog._trigger_panic_for_tests(p)
    with pytest.raises(trialog.InternalError):
        kim.update_account(kim.account_id, perspective="relative")  # handles share the platform
    assert p.account(kim.account_id)["perspective"] == "lived_experience", "the failed call had no effect"
    assert kim.update_account(kim.account_id, perspective="relative")["perspective"] == "relative"
    assert p.integrity()["problems"] == []

    # Also while other threads are busy with the same platform.
    errors = []

    def work(i):
        try:
            p.create_account(f"thread_{i}")
        except trialog.InternalError as e:
            errors.append(e)

    _trialog._trigger_panic_for_tests(p)
    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(errors) == 1
    assert p.integrity()["accounts"] == 5 + 3
