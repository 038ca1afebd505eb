"""Locust: students who sign in, practise, take an exam (autosaving answers) and submit.

Run through ``make loadtest`` (``manage.py loadtest``), which creates the students, starts
the app servers, runs this headless and then checks the database against what was
acknowledged. Settings come from the environment:

LOADTEST_PREFIX, LOADTEST_STUDENTS, LOADTEST_PASSWORD   the accounts (create_loadtest_students)
LOADTEST_THINK_MIN, LOADTEST_THINK_MAX                  seconds between a student's actions (5, 15)
LOADTEST_EXAM                                           the exam's slug (backprop-quiz)
LOADTEST_PRACTICE                                       practice questions before each exam (2)
LOADTEST_RECORD                                         where to write the acknowledged answers (JSON lines)
LOADTEST_HOSTS                                          app servers to spread students over (comma-separated)
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re

import gevent
from locust import HttpUser, events, task

from quizzes.bench.resend import ResendLikeABrowser

PREFIX = os.environ.get("LOADTEST_PREFIX", "loadtest-")
STUDENTS = int(os.environ.get("LOADTEST_STUDENTS", "50"))
PASSWORD = os.environ.get("LOADTEST_PASSWORD", "loadtest-pass-2026")
THINK = (float(os.environ.get("LOADTEST_THINK_MIN", "5")), float(os.environ.get("LOADTEST_THINK_MAX", "15")))
EXAM = os.environ.get("LOADTEST_EXAM", "backprop-quiz")
PRACTICE = int(os.environ.get("LOADTEST_PRACTICE", "2"))
RECORD = os.environ.get("LOADTEST_RECORD", "")
HOSTS = [h for h in os.environ.get("LOADTEST_HOSTS", "").split(",") if h]

CHOICES = re.compile(r'name="choice" value="(\d+)"')
RESPONSE_ID = re.compile(r'name="response" value="(\d+)"')
QUESTION_OF = re.compile(r"Question \d+ of (\d+)")
ATTEMPT_URL = re.compile(r"/attempts/(\d+)/q/1/")
_numbers = itertools.count(1)
acknowledged: list[dict] = []
"""Every answer and submission the server acknowledged with a 2xx (and each autosave sent), in order."""
resent: list[str] = []
"""The requests sent again because the server closed their kept-alive connection unanswered (``ResendLikeABrowser``)."""


class Student(HttpUser):
    """One student: sign in once, then practise a little and take the exam, again and again."""

    def wait_time(self) -> float:
        return random.uniform(*THINK)

    def on_start(self) -> None:
        number = next(_numbers)
        self.username = f"{PREFIX}{(number - 1) % STUDENTS + 1}"
        for adapter in self.client.adapters.values():
            adapter.max_retries = ResendLikeABrowser(on_resend=lambda method, url: resent.append(f"{method} {url}"))
        if HOSTS:  # one student stays on one app server; the sessions are shared anyway
            self.client.base_url = HOSTS[(number - 1) % len(HOSTS)]
        self.client.get("/accounts/login/", name="/accounts/login/")
        with self.client.post("/accounts/login/", name="/accounts/login/ POST", catch_response=True,
                              allow_redirects=False,
                              data={"username": self.username, "password": PASSWORD,
                                    "csrfmiddlewaretoken": self.csrf}) as response:
            if response.status_code != 302:
                response.failure(f"sign-in of {self.username} answered {response.status_code}")

    @property
    def csrf(self) -> str:
        return self.client.cookies.get("csrftoken", "")

    def think(self) -> None:
        self._sleep(self.wait_time())

    def _sleep(self, seconds: float) -> None:
        gevent.sleep(seconds)

    @task
    def practise_then_exam(self) -> None:
        self.client.post("/practice/", name="/practice/ POST",
                         data={"difficulty": "", "csrfmiddlewaretoken": self.csrf})
        for _ in range(PRACTICE):
            self.practise_one()
        self.take_exam()

    def practise_one(self) -> None:
        page = self.client.get("/practice/question/", name="/practice/question/")
        choices, response_id = CHOICES.findall(page.text), RESPONSE_ID.search(page.text)
        if not choices or response_id is None:
            return
        self.think()
        choice = random.choice(choices)
        with self.client.post("/practice/answer/", name="/practice/answer/ POST", catch_response=True,
                              data={"response": response_id.group(1), "choice": choice,
                                    "csrfmiddlewaretoken": self.csrf}) as answer:
            if answer.ok and "/practice/result/" in answer.url:
                acknowledged.append({"kind": "practice", "user": self.username,
                                     "response": int(response_id.group(1)), "choice": int(choice)})
            elif answer.ok:
                answer.failure(f"practice answer ended at {answer.url}")

    def take_exam(self) -> None:
        start = self.client.post(f"/exams/{EXAM}/start/", name="/exams/[slug]/start/ POST",
                                 data={"csrfmiddlewaretoken": self.csrf})
        attempt = ATTEMPT_URL.search(start.url or "")
        total = QUESTION_OF.search(start.text)
        if not start.ok or attempt is None or total is None:
            return
        attempt_id, questions = int(attempt.group(1)), int(total.group(1))
        for position in range(1, questions + 1):
            page = self.client.get(f"/attempts/{attempt_id}/q/{position}/", name="/attempts/[id]/q/[n]/") \
                if position > 1 else start
            choices = CHOICES.findall(page.text)
            if not choices:
                continue
            self.think()
            self.autosave(attempt_id, position, random.choice(choices))
            if random.random() < 0.25:  # a change of mind, saved again
                self._sleep(random.uniform(0.5, 2))
                self.autosave(attempt_id, position, random.choice(choices))
        self.think()
        self.client.get(f"/attempts/{attempt_id}/submit/", name="/attempts/[id]/submit/")
        with self.client.post(f"/attempts/{attempt_id}/submit/", name="/attempts/[id]/submit/ POST",
                              data={"csrfmiddlewaretoken": self.csrf}, catch_response=True) as done:
            if done.ok and done.url.endswith(f"/attempts/{attempt_id}/result/"):
                acknowledged.append({"kind": "submit", "user": self.username, "attempt": attempt_id})
            elif done.ok:
                done.failure(f"submit ended at {done.url}")

    def autosave(self, attempt_id: int, position: int, choice: str) -> None:
        # "sent" first: a save cut off by the end of the run may be stored without an acknowledgement
        acknowledged.append({"kind": "exam-sent", "user": self.username, "attempt": attempt_id,
                             "position": position, "choice": int(choice)})
        with self.client.post(f"/attempts/{attempt_id}/q/{position}/answer/", name="/attempts/[id]/q/[n]/answer/ htmx",
                              data={"choice": choice}, catch_response=True,
                              headers={"HX-Request": "true", "X-CSRFToken": self.csrf}) as saved:
            if 200 <= saved.status_code < 300:
                acknowledged.append({"kind": "exam", "user": self.username, "attempt": attempt_id,
                                     "position": position, "choice": int(choice)})


@events.quitting.add_listener
def write_record(environment, **_kwargs) -> None:
    """Write what the server acknowledged, for ``manage.py loadtest`` to check against the database."""
    if RECORD:
        with open(RECORD, "w") as out:
            for entry in acknowledged:
                out.write(json.dumps(entry) + "\n")
            for request in resent:
                out.write(json.dumps({"kind": "resent", "request": request}) + "\n")
