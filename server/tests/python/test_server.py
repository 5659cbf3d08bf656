"""trialog over plain HTTP from Python: sign-in, a member's and a moderator's flow, problem
details, sessions."""


def test_health_and_openapi(server):
    # On a file there is one writer at a time: no write ever conflicts, so none ran again.
    health = server.request("/health", method="GET")[2]
    assert health == {"status": "ok", "storage_retries": 0, "storage_runs_alone": 0}
    status, headers, doc = server.request("/openapi.json", method="GET")
    assert status == 200 and doc["openapi"] == "3.1.0"
    assert "/v1/create_thread" in doc["paths"]


def test_member_and_moderator_flow(server):
    member = server.sign_in("Mia_Member")
    moderator = server.sign_in("moritz_mod")
    status, _, board = server.call("board_by_slug", member, slug="austausch")
    assert status == 200, board
    status, _, posted = server.call(
        "create_thread", member, new={"board": board["id"], "title": "Aus Python", "body": "Ein erster Beitrag."}
    )
    assert status == 200, posted
    thread, post = posted["thread"]["id"], posted["post"]["id"]
    status, _, page = server.call("thread_page", member, id=thread)
    assert [p["body"] for p in page["posts"]] == ["Ein erster Beitrag."]
    status, headers, problem = server.call("moderate_post", member, id=post, action="hide", reason="x")
    assert status == 403 and headers["Content-Type"] == "application/problem+json"
    assert problem["kind"] == "permission_denied"
    status, _, hidden = server.call("moderate_post", moderator, id=post, action="hide", reason="Spam")
    assert status == 200 and hidden["state"] == "hidden"


def test_problems_name_the_field(server):
    member = server.sign_in("Mia_Member")
    status, _, problem = server.call("thread", member, id="seven")
    assert (status, problem["kind"], problem["field"]) == (400, "invalid_input", "id")
    status, _, problem = server.request("/v1/thread", raw=b'{"id": 1, "id": 2}', token=member)
    assert (status, problem["field"]) == (400, "id")
    status, _, problem = server.call("boards", member, extra=1)
    assert (status, problem["field"]) == (400, "extra")


def test_sign_out_ends_the_session(server):
    token = server.sign_in("Mia_Member")
    status, _, sessions = server.request("/v1/auth/sessions", {}, token)
    assert status == 200 and len(sessions) >= 1 and all("token" not in s for s in sessions)
    assert server.request("/v1/auth/sign_out", {}, token)[0] == 200
    status, headers, problem = server.call("inbox", token)
    assert status == 401 and headers["WWW-Authenticate"] == "Bearer"
    status, _, problem = server.request("/v1/auth/sign_in", {"pseudonym": "Mia_Member", "password": "wrong"})
    assert (status, problem["kind"]) == (403, "permission_denied")
