from concurrent.futures import ThreadPoolExecutor

import trialog


def test_one_platform_many_threads(tmp_path):
    p = trialog.Platform.open(tmp_path / "threads.redb", durability="eventual")
    org = p.create_organisation("Soteria Jena", "clinic", "DE-TH")

    def work(i):
        account = p.create_account(f"thread_user_{i:03}", languages=["de"])
        p.grant_role(account["id"], {"role": "counsellor", "org": org["id"]})
        me = p.as_account(account["id"])
        assert me.account(account["id"])["pseudonym"] == f"thread_user_{i:03}"
        return len(p.list_accounts(limit=500)["items"])

    with ThreadPoolExecutor(max_workers=8) as pool:
        counts = list(pool.map(work, range(64)))
    assert max(counts) == 64
    p.flush()
    assert sorted(a["id"] for a in p.iter_accounts(role="counsellor")) == list(range(1, 65))
    report = p.integrity()
    assert report["accounts"] == 64 and report["problems"] == []


def test_threads_share_one_iterator_without_duplicates(platform):
    for i in range(60):
        platform.create_account(f"member_{i:02}")
    it = platform.iter_accounts(page_size=7)
    seen = []

    def drain():
        for account in it:
            seen.append(account["id"])

    with ThreadPoolExecutor(max_workers=4) as pool:
        for f in [pool.submit(drain) for _ in range(4)]:
            f.result()
    assert sorted(seen) == list(range(1, 61))
