"""`make loadtest`: simulated people using the wizard against gunicorn in production mode.

Each simulated user uploads a worked example (a complete draft of its own), then reads step pages,
saves a step, opens the review and downloads the PDF and the Markdown, waiting for the PDF like the
download page does (it reloads until the task worker has rendered the file). Every user stops by
itself after MAX_REQUESTS requests; the run is also bounded in users and time by the command line
(scripts/loadtest.sh). Each user sends its own X-Forwarded-For, as clients behind the proxy would.
"""
import random
import re
from pathlib import Path

from locust import HttpUser, between, task
from locust.exception import StopUser

EXAMPLES = sorted((Path(__file__).resolve().parent.parent / "docs" / "examples").glob("*.yaml"))
MAX_REQUESTS = 120
STEPS = ["business", "services", "data", "processors", "cookies", "retention", "jurisdictions", "rights"]
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Visitor(HttpUser):
    wait_time = between(0.5, 2)

    def on_start(self):
        self.count = 0
        self.ip = f"10.{random.randint(0, 255)}.{random.randint(0, 255)}.{random.randint(1, 254)}"
        self.client.headers.update({"X-Forwarded-Proto": "https", "X-Forwarded-For": self.ip})
        landing = self.get("/", name="/")
        csrf = CSRF.search(landing.text).group(1)
        # The proxy would speak https to the browser; here the connection is plain http, over which
        # the client would not send back cookies marked Secure: copy them as plain cookies.
        for cookie in list(self.client.cookies):
            self.client.cookies.set(cookie.name, cookie.value)
        example = random.choice(EXAMPLES)
        with self.client.post("/upload/", data={"csrfmiddlewaretoken": csrf},
                              files={"answers_file": (example.name, example.read_bytes(), "application/yaml")},
                              headers={"Referer": self.base("/")}, allow_redirects=False, name="/upload/",
                              catch_response=True) as response:
            if response.status_code != 302:
                response.failure(f"upload gave {response.status_code}")
                raise StopUser()
            self.token = response.headers["Location"].split("/")[2]
        self.pdf_ready = False

    def base(self, path):
        return self.host.replace("http://", "https://", 1) + path

    def get(self, path, name):
        self.count += 1
        if self.count > MAX_REQUESTS:
            raise StopUser()
        return self.client.get(path, name=name)

    @task(10)
    def read_a_step(self):
        self.get(f"/d/{self.token}/{random.choice(STEPS)}/", name="/d/[token]/[step]/")

    @task(3)
    def save_a_step(self):
        path = f"/d/{self.token}/rights/"
        page = self.get(path, name="/d/[token]/[step]/")
        fields = dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', page.text))
        fields.update({"nav": "stay", "response_days": str(random.randint(10, 30))})
        self.count += 1
        self.client.post(path, data=fields, headers={"Referer": self.base(path)}, allow_redirects=False,
                         name="/d/[token]/[step]/ POST")

    @task(2)
    def review(self):
        self.get(f"/d/{self.token}/review/", name="/d/[token]/review/")

    @task(1)
    def markdown(self):
        self.get(f"/d/{self.token}/download/markdown/", name="/d/[token]/download/markdown/")

    @task(2)
    def pdf(self):
        response = self.get(f"/d/{self.token}/download/pdf/", name="/d/[token]/download/pdf/")
        if response.status_code == 200 and response.content.startswith(b"%PDF"):
            self.pdf_ready = True
