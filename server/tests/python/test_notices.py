"""Outbound e-mail notices against a local SMTP sink (aiosmtpd) started by the test: a member who
chose e-mail gets one mail for a reply to her post, saying only what kind of notice it is; one who
did not choose gets nothing. No thread title, post text, author or health detail leaves the
platform."""

import email
import email.policy
import os
import subprocess
import tempfile
import time
import urllib.request

import pytest
from aiosmtpd.controller import Controller

from conftest import PASSWORD, TRIALOG, Server, cli, free_port

# What the thread and the reply say: none of it may appear in a mail.
TITLE = "Nachts kommen die Stimmen"
BODY = "Seit der Klinik nehme ich Quetiapin und schlafe kaum."
REPLY = "Mir hilft Musik, und meine Diagnose ist Schizophrenie."
LEAKS = ["Stimmen", "Quetiapin", "Klinik", "Musik", "Diagnose", "Schizophrenie", "Antwortende", "Austausch"]


class Sink:
    """Keeps every message the server hands over."""

    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 OK"


@pytest.fixture
def mailing():
    """A platform with Kim (e-mail chosen), Ole (an address, e-mail not chosen) and a replier; an
    SMTP sink; and `trialog serve` sending notices to the sink every second."""
    folder = tempfile.mkdtemp(prefix="trialog-notices-")
    db = os.path.join(folder, "platform.redb")
    cli(db, "init")
    for name, address in [("Kim_aus_Jena", "kim@example.org"), ("Ole_Nord", "ole@example.org"), ("Antwortende", None)]:
        cli(db, "account", "add", name, *(["--email", address] if address else []))
        cli(db, "account", "passwd", name, stdin=PASSWORD + "\n")
    cli(db, "forum", "board", "add", "austausch", "--title", "Austausch", "--lang", "de")
    sink = Sink()
    smtp_port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    port = free_port()
    proc = subprocess.Popen(
        [TRIALOG, "--db", db, "serve", "--listen", f"127.0.0.1:{port}", "--quiet", "--tick-secs", "0",
         "--smtp", f"127.0.0.1:{smtp_port}", "--smtp-from", "notices@peers.example",
         "--notice-link", "https://peers.example/", "--notice-secs", "1"],
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            urllib.request.urlopen(base + "/health", timeout=1)
            break
        except OSError:
            time.sleep(0.05)
    yield Server(base), sink
    proc.terminate()
    assert proc.wait(timeout=30) == 0
    controller.stop()
    subprocess.run(["rm", "-rf", folder], check=False)


def start_and_answer(server, author_token, replier_token, board):
    """The author starts a thread; the replier answers its first post."""
    status, _, posted = server.call("create_thread", author_token, new={"board": board, "title": TITLE, "body": BODY})
    assert status == 200, posted
    status, _, replied = server.call(
        "reply", replier_token, new={"thread": posted["thread"]["id"], "body": REPLY, "reply_to": posted["post"]["id"]}
    )
    assert status == 200, replied


def wait_for(what, done, seconds=30):
    deadline = time.monotonic() + seconds
    while not done():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def test_a_reply_reaches_the_chosen_address_without_any_text_of_the_thread(mailing):
    server, sink = mailing
    kim, ole, replier = (server.sign_in(n) for n in ("Kim_aus_Jena", "Ole_Nord", "Antwortende"))
    status, _, chosen = server.call("set_notice_settings", kim, settings={"email": True})
    assert status == 200 and chosen["email"] is True, chosen
    board = server.call("board_by_slug", kim, slug="austausch")[2]["id"]
    start_and_answer(server, kim, replier, board)
    start_and_answer(server, ole, replier, board)

    wait_for("Kim's mail", lambda: len(sink.envelopes) >= 1)
    time.sleep(2.5)  # two more delivery rounds: nothing for Ole may follow
    assert len(sink.envelopes) == 1, [e.rcpt_tos for e in sink.envelopes]
    envelope = sink.envelopes[0]
    assert envelope.rcpt_tos == ["kim@example.org"]
    assert envelope.mail_from == "notices@peers.example"

    mail = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
    text = mail.get_body(preferencelist=("plain",)).get_content()
    assert mail["To"] == "kim@example.org"
    assert "reply" in mail["Subject"].lower(), mail["Subject"]
    assert "https://peers.example/" in text, text
    raw = envelope.original_content.decode("utf-8", "replace")
    for leak in LEAKS:
        for where, said in [("subject", mail["Subject"]), ("body", text), ("raw message", raw)]:
            assert leak not in said, f"the mail's {where} says {leak!r}"

    # The notice itself stays on the platform, with its text, for Kim to read there.
    status, _, inbox = server.call("inbox", kim)
    assert status == 200 and len(inbox["items"]) >= 1, inbox


def test_nothing_is_sent_once_the_member_turns_e_mail_off(mailing):
    server, sink = mailing
    kim, replier = server.sign_in("Kim_aus_Jena"), server.sign_in("Antwortende")
    assert server.call("set_notice_settings", kim, settings={"email": True})[0] == 200
    assert server.call("set_notice_settings", kim, settings={"email": False})[0] == 200
    board = server.call("board_by_slug", kim, slug="austausch")[2]["id"]
    start_and_answer(server, kim, replier, board)
    time.sleep(3)  # three delivery rounds
    assert sink.envelopes == []
