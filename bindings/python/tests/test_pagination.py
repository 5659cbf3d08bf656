import pytest

import trialog


@pytest.fixture
def many(platform):
    for i in range(25):
        platform.create_account(f"member_{i:02}", perspective=["relative", "professional"][i % 2])
    for i in range(7):
        platform.create_organisation(f"Verein {i}", "association", "DE-BE")
    return platform


def test_pages_follow_cursors(many):
    seen = []
    cursor = None
    pages = 0
    while True:
        page = many.list_accounts(cursor=cursor, limit=10)
        pages += 1
        seen += [a["id"] for a in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
        assert isinstance(cursor, str)
    assert pages == 3
    assert seen == list(range(1, 26))


def test_filters_apply_across_pages(many):
    ids, cursor = [], None
    while True:
        page = many.list_accounts(perspective="professional", limit=5, cursor=cursor)
        assert len(page["items"]) <= 5
        ids += [a["id"] for a in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert ids == [i for i in range(1, 26) if i % 2 == 0]
    assert [a["pseudonym"] for a in many.list_accounts(pseudonym_prefix="MEMBER_2")["items"]] == [
        f"member_2{i}" for i in range(5)
    ]


def test_iterators_walk_every_page(many):
    it = many.iter_accounts(page_size=7)
    assert iter(it) is it
    assert "accounts" in repr(it)
    assert [a["id"] for a in it] == list(range(1, 26))
    assert next(it, "done") == "done"
    assert len(list(many.iter_accounts(perspective="relative", page_size=4))) == 13
    assert [o["name"] for o in many.iter_organisations(page_size=2)] == [f"Verein {i}" for i in range(7)]
    assert len(list(many.iter_accounts())) == 25  # default page size


def test_audit_is_newest_first_across_pages(many):
    for i in range(1, 6):
        many.grant_role(i, "moderator")
    entries = list(many.iter_audit(action_prefix="account.role", page_size=2))
    assert [e["target"] for e in entries] == [f"account:{i}" for i in range(5, 0, -1)]
    ids = [e["id"] for e in many.iter_audit()]
    assert ids == sorted(ids, reverse=True)
    page = many.audit_log(limit=3)
    following = many.audit_log(limit=3, cursor=page["next_cursor"])
    assert following["items"][0]["id"] == page["items"][-1]["id"] - 1


def test_bad_cursor_and_limit_name_their_fields(many):
    with pytest.raises(trialog.InvalidInputError) as info:
        many.list_accounts(cursor="42")
    assert info.value.field == "cursor"
    for limit in (0, 501):
        with pytest.raises(trialog.InvalidInputError) as info:
            many.list_organisations(limit=limit)
        assert info.value.field == "limit"
    with pytest.raises(trialog.InvalidInputError) as info:
        list(many.iter_accounts(page_size=0))
    assert info.value.field == "limit"
    with pytest.raises(trialog.InvalidInputError) as info:
        many.iter_accounts(status="sleeping")  # filters are checked when the iterator is made
    assert info.value.field == "status"
