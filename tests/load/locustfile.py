"""A working day of Money Maatjes, for locust: volunteers log contacts on their phones, leads
read the overview and the lists, buurtteams open and accept handovers.

Run by benchmarks/load.py against gunicorn with the demo data (demo mode: the demo accounts log
in with the password alone). Every request is checked: an error page counts as a failure.
"""

import itertools
import random
import re
from datetime import date

from locust import HttpUser, between, task

DOMAIN = "demo.moneymaatjes.nl"
PASSWORD = "maatjes-demo"
VOLUNTEERS = ["akosua", "kwame", "shanti", "marisol", "ricardo", "fatima", "joana"]
BUURTTEAMS = ["buurtteam.oost", "buurtteam.centrum", "linkingpin.oost"]
CSRF = re.compile(
    r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"'
)
_volunteers = itertools.cycle(VOLUNTEERS)
_teams = itertools.cycle(BUURTTEAMS)


def _csrf(html: str) -> str:
    match = CSRF.search(html)
    return (match.group(1) or match.group(2)) if match else ""


class Visitor(HttpUser):
    abstract = True
    wait_time = between(0.5, 2)
    email = ""

    def on_start(self):
        page = self.client.get("/login", name="/login")
        with self.client.post(
            "/login",
            data={"email": self.email, "password": PASSWORD, "csrf_token": _csrf(page.text)},
            name="/login [POST]",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302 or "/login" in response.headers.get("Location", ""):
                response.failure(f"login of {self.email} refused: {response.status_code}")


class Volunteer(Visitor):
    weight = 4

    def on_start(self):
        self.email = f"{next(_volunteers)}@{DOMAIN}"
        super().on_start()

    @task(3)
    def home(self):
        self.client.get("/me", name="/me")

    @task(2)
    def log_contact(self):
        home = self.client.get("/me", name="/me")
        forms = re.findall(r'href="(/matches/(\d+)/contacts/new)"', home.text)
        if not forms:
            return
        path, match_id = random.choice(forms)
        form = self.client.get(path, name="/matches/[id]/contacts/new")
        with self.client.post(
            path,
            data={
                "csrf_token": _csrf(form.text),
                "contact_on": date.today().isoformat(),
                "kind": random.choice(["phone", "visit", "message"]),
                "duration_minutes": "20",
                "note": "Samen de post doorgenomen.",
            },
            name="/matches/[id]/contacts/new [POST]",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"contact not saved: {response.status_code}")
        self.client.get(f"/matches/{match_id}", name="/matches/[id]")


class Lead(Visitor):
    weight = 1
    email = f"lead@{DOMAIN}"

    @task(3)
    def overview(self):
        self.client.get("/lead/", name="/lead/")

    @task(1)
    def lists(self):
        for path in ("/residents/", "/volunteers/", "/lead/waiting", "/handovers"):
            self.client.get(path, name=path)

    @task(1)
    def a_resident(self):
        residents = self.client.get("/residents/", name="/residents/")
        ids = re.findall(r'href="/residents/(\d+)"', residents.text)
        if ids:
            self.client.get(f"/residents/{random.choice(ids)}", name="/residents/[id]")


class Buurtteam(Visitor):
    weight = 1

    def on_start(self):
        self.email = f"{next(_teams)}@{DOMAIN}"
        super().on_start()

    @task
    def handovers(self):
        listing = self.client.get("/handovers", name="/handovers")
        ids = re.findall(r'href="/handovers/(\d+)"', listing.text)
        if not ids:
            return
        handover_id = random.choice(ids)
        page = self.client.get(f"/handovers/{handover_id}", name="/handovers/[id]")
        if f"/handovers/{handover_id}/accept" in page.text:
            with self.client.post(
                f"/handovers/{handover_id}/accept",
                data={
                    "csrf_token": _csrf(page.text),
                    "receiver_name": "Sanne de Vries",
                    "receiver_phone": "020 555 0142",
                },
                name="/handovers/[id]/accept [POST]",
                allow_redirects=False,
                catch_response=True,
            ) as response:
                # accepted (302), or a colleague accepted it a moment earlier: the page again
                # with the rule's message (422), which is the right answer, not a failure
                refused_politely = response.status_code == 422 and "alert" in response.text
                if response.status_code == 302 or refused_politely:
                    response.success()
                else:
                    response.failure(f"accept failed: {response.status_code}")
