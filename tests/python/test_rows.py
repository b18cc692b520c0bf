"""Rows are read lazily from the answer's body: every kind of JSON value comes
back as sent, escapes and undocumented fields included, and a body that is not
JSON is a clear error."""

import http.server
import threading

import pigello
import pytest
from names import client_at

TRICKY = "Ö'\"\\ \u00e9 \U0001f3e0 \t<b>"


def test_text_with_escapes_and_any_json_comes_back_as_sent(sandbox, client):
    tenant = client.tenants.create(first_name=TRICKY, last_name="Plain")
    state = sandbox.export_state()
    customer = next(iter(state["customers"]))
    stored = next(t for t in state["customers"][customer]["tenants"] if t["id"] == str(tenant.id))
    nested = {"a": [1, 2.5, -3e-2, None, True, {"b": 'x"y\\z'}], "n": 12345678901}
    stored.update(loyalty=nested, score=-1.25, note="plain", flag=False, nothing=None)
    sandbox.import_state(state)

    for row in (client.tenants.get(tenant.id), client.tenants.list(id=tenant.id)[0]):
        assert row.first_name == TRICKY and row.last_name == "Plain"
        assert row.loyalty == nested and row.score == -1.25 and row.flag is False
        assert row.nothing is None and row.note == "plain"
        assert row.extra == {
            "loyalty": nested,
            "score": -1.25,
            "note": "plain",
            "flag": False,
            "nothing": None,
        }
        assert row.to_dict()["first_name"] == TRICKY
        assert "&lt;b&gt;" in row._repr_html_()
    listed = [t for t in client.tenants.iterate(page_size=7) if t.id == tenant.id]
    assert listed == [client.tenants.get(tenant.id)]
    frame = client.tenants.to_pandas(progress=False)
    assert frame.loc[frame["id"] == str(tenant.id), "first_name"].item() == TRICKY


class Broken(http.server.BaseHTTPRequestHandler):
    """Answers every list with a body cut off in the middle."""

    def do_GET(self):
        body = b'[{"id": "00000000-0000-4000-8000-000000000001", "first_na'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_a_body_that_is_not_json_is_a_clear_error():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Broken)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        client = client_at(f"http://127.0.0.1:{server.server_address[1]}")
        with pytest.raises(pigello.PigelloError) as info:
            client.tenants.list()
        assert "Tenant" in str(info.value)
        assert 'the body starts with "[{\\"id\\"' in str(info.value)
        with pytest.raises(pigello.PigelloError) as info:
            client.tenants.get("00000000-0000-4000-8000-000000000001")
        assert 'the body starts with "[{\\"id\\"' in str(info.value)
    finally:
        server.shutdown()
