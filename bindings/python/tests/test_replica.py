"""A device replica against a `trialog serve` the test starts: sync, read offline, queue a reply
offline, and after the server is back the reply arrives once."""

import json
import os
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

import trialog

ROOT = Path(__file__).resolve().parents[3]
TRIALOG = os.environ.get("TRIALOG_BIN", str(ROOT / "target" / "debug" / "trialog"))
PASSWORD = "correct horse battery staple"


def cli(db, *args, stdin=""):
    subprocess.run([TRIALOG, "--db", str(db), *args], input=stdin, text=True, capture_output=True, check=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`trialog serve` over the file `db` on a free loopback port."""

    def __init__(self, db):
        port = free_port()
        self.base = f"http://127.0.0.1:{port}"
        self.proc = subprocess.Popen(
            [TRIALOG, "--db", str(db), "serve", "--listen", f"127.0.0.1:{port}", "--quiet", "--tick-secs", "0"],
            stderr=subprocess.DEVNULL,
        )
        for _ in range(200):
            try:
                urllib.request.urlopen(self.base + "/health", timeout=1)
                return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError("the server did not start")

    def post(self, path, body, token=None):
        req = urllib.request.Request(self.base + path, data=json.dumps(body).encode(), method="POST")
        req.add_header("Content-Type", "application/json")
        if token:
            req.add_header("Authorization", f"Bearer {token}")
        with urllib.request.urlopen(req, timeout=30) as resp:
            return json.loads(resp.read())

    def stop(self):
        self.proc.terminate()
        assert self.proc.wait(timeout=30) == 0


@pytest.fixture
def platform_file(tmp_path):
    if not Path(TRIALOG).exists():
        pytest.fail(f"{TRIALOG} is missing: build it with `cargo build -p trialog-cli`")
    db = tmp_path / "platform.redb"
    cli(db, "init")
    cli(db, "account", "add", "Mia_Member")
    cli(db, "account", "passwd", "Mia_Member", stdin=PASSWORD + "\n")
    cli(db, "forum", "board", "add", "austausch", "--title", "Austausch", "--lang", "de")
    return db


def test_a_reply_queued_offline_arrives_once_after_the_server_is_back(platform_file, tmp_path):
    server = Server(platform_file)
    token = server.post("/v1/auth/sign_in", {"pseudonym": "Mia_Member", "password": PASSWORD})["token"]
    server.post("/v1/save_search", {"name": "Mias Suche", "query": {}}, token)
    path = tmp_path / "device" / "replica.redb"
    path.parent.mkdir()
    replica = trialog.Replica.open(path, server.base, token)
    first = replica.sync()
    assert first["snapshot"] and not first["offline"]
    board = next(b for b in replica.boards() if b["board"]["slug"] == "austausch")["board"]["id"]
    started = replica.new_thread(board, "Spaziergang", "Wer kommt am Samstag mit?", language="de", country="DE")
    assert started["crisis_resources"] == []
    assert replica.sync()["sent"] == 1
    [thread] = replica.threads(board)
    assert thread["title"] == "Spaziergang" and thread["last_activity"].tzinfo is not None

    # Offline: reads answer from the file, a reply waits in the queue and shows as pending.
    server.stop()
    assert [p["body"] for p in replica.thread(thread["id"])["posts"]] == ["Wer kommt am Samstag mit?"]
    assert [s["name"] for s in replica.saved_searches()] == ["Mias Suche"], "the saved-search bucket"
    queued = replica.reply(thread["id"], "Ich komme gern!", language="de", country="DE")
    report = replica.sync()
    assert report["offline"] and report["sent"] == 0 and report["retry_in_ms"] > 0
    assert replica.sync()["skipped"], "a sync within the wait tried the server"
    [pending] = replica.pending()
    assert pending["id"] == queued["id"] and pending["state"] == {"state": "pending"} and pending["attempts"] == 1
    assert [q["id"] for q in replica.thread(thread["id"])["pending"]] == [queued["id"]]
    # The crisis check runs on the device, before anything is sent.
    crisis = replica.reply(thread["id"], "Ich will nicht mehr leben.", language="de", country="DE")
    assert crisis["crisis_resources"], "no crisis resources offline"
    replica.drop_queued(crisis["id"])
    del replica

    # Back online (a new port: the replica is opened again, its queue kept in the file).
    server = Server(platform_file)
    try:
        replica = trialog.Replica.open(path, server.base, token)
        report = replica.sync()
        assert (report["sent"], report["failed"], report["offline"]) == (1, 0, False)
        assert replica.pending() == []
        assert replica.sync()["sent"] == 0
        bodies = [p["body"] for p in replica.thread(thread["id"])["posts"]]
        assert bodies == ["Wer kommt am Samstag mit?", "Ich komme gern!"]
        on_server = server.post("/v1/thread_page", {"id": thread["id"]}, token)["posts"]
        assert [p["body"] for p in on_server].count("Ich komme gern!") == 1

        # A refused write is kept with the server's reason until it is dropped.
        refused = replica.reply(999_999, "Ins Leere", language="de", country="DE")
        assert replica.sync()["failed"] == 1
        [failed] = replica.refusals()
        assert failed["id"] == refused["id"] and failed["state"]["state"] == "failed" and failed["state"]["reason"]
        replica.drop_queued(refused["id"])
        assert replica.refusals() == []
    finally:
        server.stop()


def test_an_erased_accounts_replica_raises_account_erased_and_empties_its_queue(platform_file, tmp_path):
    server = Server(platform_file)
    token = server.post("/v1/auth/sign_in", {"pseudonym": "Mia_Member", "password": PASSWORD})["token"]
    path = tmp_path / "replica.redb"
    replica = trialog.Replica.open(path, server.base, token)
    replica.sync()
    board = next(b for b in replica.boards() if b["board"]["slug"] == "austausch")["board"]["id"]
    replica.new_thread(board, "Mias Frage", "Noch nicht gesendet", language="de", country="DE")
    del replica
    server.stop()
    cli(platform_file, "account", "erase", "Mia_Member", "--reason", "auf eigenen Wunsch")

    server = Server(platform_file)
    try:
        replica = trialog.Replica.open(path, server.base, token)
        assert len(replica.pending()) == 1
        with pytest.raises(trialog.AccountErasedError) as erased:
            replica.sync()
        assert erased.value.kind == "account_erased" and erased.value.reason
        assert replica.pending() == [], "the send queue was not emptied"
    finally:
        server.stop()


def test_a_refused_write_is_corrected_and_arrives_once_under_a_new_id(platform_file, tmp_path):
    server = Server(platform_file)
    try:
        token = server.post("/v1/auth/sign_in", {"pseudonym": "Mia_Member", "password": PASSWORD})["token"]
        replica = trialog.Replica.open(tmp_path / "replica.redb", server.base, token)
        replica.sync()
        board = next(b for b in replica.boards() if b["board"]["slug"] == "austausch")["board"]["id"]
        replica.new_thread(board, "Spaziergang", "Wer kommt mit?", language="de", country="DE")
        replica.sync()
        [thread] = replica.threads(board)

        # Too long for the server: refused, with the field's reason.
        refused = replica.reply(thread["id"], "Sehr lang. " * 2_000, language="de", country="DE")
        assert replica.sync()["failed"] == 1
        [failed] = replica.refusals()
        assert failed["state"]["kind"] == "invalid_input" and "body" in failed["state"]["reason"]
        with pytest.raises(trialog.InvalidInputError) as title:
            replica.edit_queued(refused["id"], title="Titel", language="de", country="DE")
        assert title.value.field == "title"

        edited = replica.edit_queued(refused["id"], body="Kürzer: bis Samstag!", language="de", country="DE")
        assert edited["id"] != refused["id"] and edited["crisis_resources"] == []
        assert replica.refusals() == [] and [q["id"] for q in replica.pending()] == [edited["id"]]
        assert replica.sync()["sent"] == 1
        bodies = [p["body"] for p in replica.thread(thread["id"])["posts"]]
        assert bodies == ["Wer kommt mit?", "Kürzer: bis Samstag!"]
        with pytest.raises(trialog.NotFoundError):
            replica.edit_queued(edited["id"], body="noch einmal", language="de", country="DE")
    finally:
        server.stop()


def test_bad_input_names_the_field(tmp_path):
    with pytest.raises(trialog.InvalidInputError) as bad_url:
        trialog.Replica.open(tmp_path / "r.redb", "ftp://example.org", "t0ken")
    assert bad_url.value.field == "server_url"
    # Plain HTTP beyond this device would send the token readable: refused unless allowed.
    with pytest.raises(trialog.InvalidInputError) as plain:
        trialog.Replica.open(tmp_path / "r.redb", "http://10.0.2.2:8080", "t0ken")
    assert plain.value.field == "server_url"
    trialog.Replica.open(tmp_path / "lan.redb", "http://10.0.2.2:8080", "t0ken", allow_plain_http=True)
    with pytest.raises(trialog.InvalidInputError) as ca:
        trialog.Replica.open(tmp_path / "r.redb", "https://localhost", "t0ken", extra_ca_pem="not a certificate")
    assert ca.value.field == "extra_ca_pem"
    replica = trialog.Replica.open(tmp_path / "r.redb", "http://127.0.0.1:9", "t0ken")
    with pytest.raises(trialog.InvalidInputError) as empty:
        replica.reply(1, "   ", language="de", country="DE")
    assert empty.value.field == "body"
    with pytest.raises(trialog.NotFoundError):
        replica.thread(1)
    assert replica.inbox() is None


def test_older_threads_arrive_on_demand_and_sync_now_cuts_the_wait_short(platform_file, tmp_path):
    # Two older pages beyond a snapshot's 40 threads (20 and 2): both come in one call.
    for i in range(62):
        cli(platform_file, "--as", "Mia_Member", "forum", "thread", "new", "austausch", "--title", f"Thema {i}",
            "--body", f"Inhalt {i}")
    server = Server(platform_file)
    try:
        token = server.post("/v1/auth/sign_in", {"pseudonym": "Mia_Member", "password": PASSWORD})["token"]
        replica = trialog.Replica.open(tmp_path / "replica.redb", server.base, token)
        assert replica.sync()["snapshot"]
        board = next(b for b in replica.boards() if b["board"]["slug"] == "austausch")["board"]["id"]
        assert len(replica.threads(board)) == 40
        with pytest.raises(trialog.InvalidInputError) as too_many:
            replica.older_threads(board, pages=6)
        assert too_many.value.field == "pages"
        older = replica.older_threads(board, pages=2)
        assert (older["more"], older["offline"]) == (False, False)
        assert sorted(t["title"] for t in older["threads"]) == sorted(f"Thema {i}" for i in range(22))
        assert len(replica.threads(board)) == 62
        oldest = next(t for t in older["threads"] if t["title"] == "Thema 0")
        assert [p["body"] for p in replica.thread(oldest["id"])["posts"]] == ["Inhalt 0"]
        assert replica.older_threads(board)["threads"] == []
    finally:
        server.stop()

    # Offline: a failed sync waits; the app, told the network is back, cuts the wait short.
    failed = replica.sync()
    assert failed["offline"] and failed["retry_in_ms"] > 0
    assert replica.sync()["skipped"]
    now = replica.sync_now()
    assert now["offline"] and not now["skipped"], now
    assert replica.older_threads(board + 1)["offline"]
