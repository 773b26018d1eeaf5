"""A database outage: users get a 503 page in their language that says nothing was saved,
nothing is half-written, and the app and the scheduler recover without a restart.

On PostgreSQL the app talks to the server through a TCP proxy on loopback that this test cuts
and restores (connections dropped, new ones refused). On SQLite, which has no server to lose,
every statement fails with an OperationalError while the outage lasts.
"""

import contextlib
import socket
import threading

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from maatjes import create_app
from maatjes.extensions import db
from maatjes.models import Contact, JobRun
from maatjes.scheduler import tick
from tests.builders import TODAY, login, make_match, make_resident, make_volunteer


class CuttableProxy:
    """Forwards loopback TCP to PostgreSQL until cut; while cut, drops and refuses connections."""

    def __init__(self, target_host: str, target_port: int):
        self.target = (target_host, target_port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.open = True
        self.sockets: list[socket.socket] = []
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if not self.open:
                client.close()
                continue
            upstream = socket.create_connection(self.target)
            with self.lock:
                self.sockets += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source, sink):
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for s in (source, sink):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)

    def cut(self):
        self.open = False
        with self.lock:
            for s in self.sockets:
                try:
                    s.shutdown(socket.SHUT_RDWR)
                    s.close()
                except OSError:
                    pass
            self.sockets.clear()

    def restore(self):
        self.open = True

    def close(self):
        self.cut()
        self.listener.close()


@pytest.fixture
def outage(app, database_url):
    """(app behind a breakable database, cut(), restore())."""
    url = make_url(database_url)
    settings = {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "WTF_CSRF_ENABLED": False,
        "SERVER_NAME": "maatjes.test",
        "SQLALCHEMY_ENGINE_OPTIONS": {
            "pool_pre_ping": True,
            "hide_parameters": True,
            "connect_args": {"connect_timeout": 2}
            if url.get_backend_name() == "postgresql"
            else {},
        },
    }
    if url.get_backend_name() == "postgresql":
        proxy = CuttableProxy(url.host or "127.0.0.1", url.port or 5432)
        broken_app = create_app(
            {
                **settings,
                "SQLALCHEMY_DATABASE_URI": url.set(
                    host="127.0.0.1", port=proxy.port
                ).render_as_string(hide_password=False),
            }
        )
        yield broken_app, proxy.cut, proxy.restore
        proxy.close()
    else:
        broken_app = create_app({**settings, "SQLALCHEMY_DATABASE_URI": database_url})
        down = {"now": False}
        with broken_app.app_context():
            engine = db.engine

        @event.listens_for(engine, "before_cursor_execute")
        def fail(conn, cursor, statement, parameters, context, executemany):
            if down["now"]:
                raise OperationalError(statement, parameters, Exception("disk I/O error"))

        yield broken_app, lambda: down.update(now=True), lambda: down.update(now=False)
        event.remove(engine, "before_cursor_execute", fail)
    with broken_app.app_context():
        db.engine.dispose()


def _contacts(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Contact.id)))


def test_users_get_a_503_in_their_language_and_the_app_recovers(app, outage):
    broken_app, cut, restore = outage
    with app.app_context():
        volunteer = make_volunteer(("tw",))
        match = make_match(volunteer, make_resident(("tw",)))
        db.session.commit()
        match_id, user_id = match.id, volunteer.user_id
    client = broken_app.test_client()
    login(client, user_id)
    assert client.get("/me").status_code == 200
    contact = {"contact_on": TODAY.isoformat(), "kind": "phone", "note": "Belde over de brief"}

    cut()
    page = client.get("/me")
    assert page.status_code == 503
    assert page.headers["Retry-After"] == "60"
    assert page.headers["Cache-Control"] == "no-store"
    html = page.get_data(as_text=True)
    assert "Niets is opgeslagen" in html and 'lang="nl"' in html
    post = client.post(f"/matches/{match_id}/contacts/new", data=contact)
    assert post.status_code == 503
    with client.session_transaction() as session:
        session["locale"] = "en"
    english = client.get(f"/matches/{match_id}")
    assert english.status_code == 503 and "Nothing was saved" in english.get_data(as_text=True)
    assert client.get("/healthz").status_code == 503

    restore()
    assert _contacts(app) == 0  # nothing half-written
    assert client.get("/healthz").status_code == 200
    assert client.get("/me").status_code == 200
    assert client.post(f"/matches/{match_id}/contacts/new", data=contact).status_code == 302
    assert _contacts(app) == 1


def test_the_scheduler_survives_an_outage_and_catches_up(app, outage, caplog):
    broken_app, cut, restore = outage
    with app.app_context():
        volunteer = make_volunteer(("tw",))
        make_match(volunteer, make_resident(("tw",)))
        db.session.commit()
    cut()
    tick(broken_app)  # must not raise: the scheduler process keeps running
    assert "tick failed" in caplog.text
    restore()
    tick(broken_app)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(JobRun)) > 0
