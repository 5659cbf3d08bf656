"""Starts `trialog serve` on a free loopback port over a fresh platform file with a member, a
moderator and a board, for the tests in this folder (plain HTTP through urllib)."""

import json
import os
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request

import pytest

PASSWORD = "correct horse battery staple"
TRIALOG = os.environ.get("TRIALOG_BIN", "target/debug/trialog")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cli(db: str, *args: str, stdin: str = "") -> str:
    done = subprocess.run([TRIALOG, "--db", db, *args], input=stdin, text=True, capture_output=True, check=True)
    return done.stdout


class Server:
    def __init__(self, base: str):
        self.base = base

    def request(self, path: str, body=None, token=None, method: str = "POST", raw: bytes | None = None):
        data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
        req = urllib.request.Request(self.base + path, data=data, method=method)
        req.add_header("Content-Type", "application/json")
        if token:
            req.add_header("Authorization", f"Bearer {token}")
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                return resp.status, resp.headers, json.loads(resp.read() or b"null")
        except urllib.error.HTTPError as e:
            return e.code, e.headers, json.loads(e.read() or b"null")

    def call(self, op: str, token=None, **args):
        return self.request(f"/v1/{op}", args, token)

    def sign_in(self, pseudonym: str) -> str:
        status, _, body = self.request("/v1/auth/sign_in", {"pseudonym": pseudonym, "password": PASSWORD})
        assert status == 200, body
        return body["token"]


@pytest.fixture(scope="module")
def server():
    folder = tempfile.mkdtemp(prefix="trialog-server-")
    db = os.path.join(folder, "platform.redb")
    cli(db, "init")
    for name in ("Mia_Member", "Moritz_Mod"):
        cli(db, "account", "add", name)
        cli(db, "account", "passwd", name, stdin=PASSWORD + "\n")
    cli(db, "account", "grant", "Moritz_Mod", "moderator")
    cli(db, "forum", "board", "add", "austausch", "--title", "Austausch", "--lang", "de")
    port = free_port()
    proc = subprocess.Popen(
        [TRIALOG, "--db", db, "serve", "--listen", f"127.0.0.1:{port}", "--quiet", "--tick-secs", "0"],
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/health", timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    yield Server(base)
    proc.terminate()
    assert proc.wait(timeout=30) == 0
    subprocess.run(["rm", "-rf", folder], check=False)
