"""Seed realistic demo activity, so the instructor dashboards show something real.

Why: a fresh install has no students, and dashboards of zeros teach nothing. This command makes
``--students`` demo students (``demo-001``, ``demo-002``...; no password, they cannot log in) in two
cohorts, "Demo cohort A" (a little stronger) and "Demo cohort B", and has each of them practise,
review and sit exams over the last ``--days`` days through the same services the site uses
(``practice_next``/``practice_answer``, ``review_current``/``response_answer``,
``exam_start``/``exam_answer``/``exam_finish``), so every row is what a real student would leave.

How students answer (a small item-response model): a student of ability t answers a question of
difficulty b and discrimination a right with probability g + (1 - g) / (1 + exp(-a (t - b))),
g = 1 / (2 * choices) for lucky guesses; ability grows a little with practice. A wrong answer
picks a choice named by a misconception three times as often as an unnamed one. Unless
``--no-flawed``, two questions are made to behave badly, as a real bank's worst would: one that
strong students get wrong more often (as a wrong key would) and one that everyone gets right;
the command prints which, so the "needs attention" list can be checked against them.

Re-running adds another batch of new students (numbering continues) to the same two cohorts;
nothing is changed or deleted. With ``--if-none`` it adds nobody once demo students exist, so
``make run`` can call it on every start. Development only: refused where ``DEMO_ACCOUNTS_ALLOWED`` is off.
Answers are random (``--seed`` fixes the students' choices, not the services' own draws).
"""

from __future__ import annotations

import math
import random
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from quizzes.models import Cohort, Exam, ExamAttempt, Question, Response, Topic
from quizzes.selectors.questions import published_questions
from quizzes.services import exams as exam_services
from quizzes.services import grading
from quizzes.services import practice as practice_services
from quizzes.services.responses import response_answer
from quizzes.services.spaced import review_current

USERNAME_PREFIX = "demo-"
COHORTS = (("Demo cohort A", 0.3), ("Demo cohort B", -0.3))
"""(name, mean ability): students alternate between them."""
DIFFICULTY_B = {1: -1.3, 2: -0.1, 3: 0.9}
MISCONCEPTION_WEIGHT = 3
FLAWED_SEED = 2026
NOT_ALLOWED = "Demo activity is for development only (DEMO_ACCOUNTS_ALLOWED is off in these settings)."
NO_QUESTIONS = "No published questions: run `python manage.py sync_content` first."
ALREADY_SEEDED = "Demo students already exist; nothing added (--if-none)."


@dataclass
class ItemModel:
    """How one question behaves: difficulty b and discrimination a (negative: a flawed key)."""

    b: float
    a: float


@dataclass
class Student:
    user: object
    ability: float
    answered: int = 0
    log: list[str] = field(default_factory=list)

    @property
    def theta(self) -> float:
        return self.ability + min(0.8, 0.01 * self.answered)


class Simulation:
    """Picks answers and times for demo students; writes only through the services."""

    def __init__(self, rng: random.Random, questions: list[Question], *, flawed: bool) -> None:
        self.rng = rng
        self.items = {q.pk: ItemModel(DIFFICULTY_B.get(q.difficulty, 0.0) + rng.gauss(0, 0.4), rng.uniform(0.9, 1.9))
                      for q in questions}
        self.flawed: dict[str, str] = {}
        if flawed and len(questions) >= 4:
            # The same two on every run (whatever --seed), so batches agree on which are flawed.
            wrong_key, giveaway = random.Random(FLAWED_SEED).sample(sorted(questions, key=lambda q: q.qid), 2)
            self.items[wrong_key.pk] = ItemModel(b=0.2, a=-1.2)
            self.items[giveaway.pk] = ItemModel(b=-5.0, a=1.0)
            self.flawed = {wrong_key.qid: "behaves like a wrong key (strong students miss it)",
                           giveaway.qid: "a giveaway (everyone gets it right)"}

    def answer(self, student: Student, response: Response) -> dict:
        """Return the form input ``student`` gives: ``raw_choice`` (a position) or ``raw_number``
        (typed: the right value, a named mistake's value, or another wrong number)."""
        if not grading.is_numeric(response.version):
            return {"raw_choice": self.choose(student, response)}
        item = self.items.get(response.question_id, ItemModel(0.0, 1.0))
        student.answered += 1
        key = grading.answer_key(response.version, response.seed)
        if self.rng.random() < 1 / (1 + math.exp(-item.a * (student.theta - item.b))):
            return {"raw_number": key.tolerance.shown(key.value)}
        if key.misconceptions and self.rng.random() < 0.7:
            return {"raw_number": f"{self.rng.choice(key.misconceptions)[1]:.6g}"}
        return {"raw_number": f"{key.value * self.rng.choice([0.5, 2.0, -1.0]) + 1.0:.4g}"}

    def choose(self, student: Student, response: Response) -> int:
        """Return the display position ``student`` picks for ``response``."""
        item = self.items.get(response.question_id, ItemModel(0.0, 1.0))
        k = len(response.choice_texts)
        guess = 1 / (2 * k)
        p_right = guess + (1 - guess) / (1 + math.exp(-item.a * (student.theta - item.b)))
        student.answered += 1
        if self.rng.random() < p_right:
            return response.correct_position
        choices = response.version.data["choices"]
        wrong = [pos for pos in range(k) if pos != response.correct_position]
        weights = [MISCONCEPTION_WEIGHT if choices[response.choice_order[pos]].get("misconception") else 1
                   for pos in wrong]
        return self.rng.choices(wrong, weights)[0]

    def seconds(self, response: Response) -> float:
        """Return a plausible time to answer (log-normal, longer for harder questions)."""
        median = 20 + 15 * (response.question.difficulty - 1)
        return min(600.0, median * math.exp(self.rng.gauss(0, 0.55)))


class Command(BaseCommand):
    help = "Create demo students in two cohorts and simulate weeks of practice, review and exams (development only)."

    def add_arguments(self, parser):
        parser.add_argument("--students", type=int, default=30, help="how many demo students to add (default 30)")
        parser.add_argument("--days", type=int, default=28, help="spread the activity over this many past days")
        parser.add_argument("--seed", type=int, default=None, help="seed the students' abilities and choices")
        parser.add_argument("--no-flawed", action="store_true", help="do not make two questions behave badly")
        parser.add_argument("--if-none", action="store_true",
                            help="do nothing if demo students already exist (for `make run`, which runs every start)")
        parser.add_argument("--dry-run", action="store_true", help="say what would be created, change nothing")

    def handle(self, *args, **options):
        if not getattr(settings, "DEMO_ACCOUNTS_ALLOWED", False):
            raise CommandError(NOT_ALLOWED)
        count, days = options["students"], options["days"]
        if count < 1 or days < 1:
            raise CommandError("--students and --days must be at least 1.")
        questions = list(published_questions().select_related("current_version"))
        if not questions:
            raise CommandError(NO_QUESTIONS)
        first = self.next_number()
        if options["if_none"] and first > 1:
            if options["verbosity"] >= 1:
                self.stdout.write(ALREADY_SEEDED)
            return
        names = [f"{USERNAME_PREFIX}{n:03d}" for n in range(first, first + count)]
        if options["dry_run"]:
            self.stdout.write(f"Would add {count} students ({names[0]} .. {names[-1]}) to "
                              f"{' and '.join(name for name, _ in COHORTS)}, active over the last {days} days.")
            return
        started = time.perf_counter()
        rng = random.Random(options["seed"])
        simulation = Simulation(rng, questions, flawed=not options["no_flawed"])
        before = (Response.objects.count(), ExamAttempt.objects.count())
        with transaction.atomic():
            students = self.create_students(names, rng)
            now = timezone.now()
            exams = list(Exam.objects.active())
            topics = list(Topic.objects.values_list("slug", flat=True))
            if options["verbosity"] >= 1:
                self.stdout.write(f"Seeding demo activity for {count} students (once; this takes a minute):")
            for done, student in enumerate(students, start=1):
                self.simulate(student, simulation, now=now, days=days, exams=exams, topics=topics)
                if options["verbosity"] >= 1:
                    self.stdout.write(self.progress_line(done, count, time.perf_counter() - started))
        responses = Response.objects.count() - before[0]
        attempts = ExamAttempt.objects.count() - before[1]
        if options["verbosity"] >= 1:
            self.stdout.write(self.style.SUCCESS(
                f"Added {count} demo students ({names[0]} .. {names[-1]}): {responses} responses, "
                f"{attempts} exam attempts over the last {days} days, in {time.perf_counter() - started:.1f} s."))
            for qid, how in simulation.flawed.items():
                self.stdout.write(f"  flawed on purpose: {qid}: {how}")

    @staticmethod
    def progress_line(done: int, total: int, seconds: float) -> str:
        """Return "  [#####.....] 15/30 students, 21 s" for the terminal."""
        filled = round(20 * done / total)
        return f"  [{'#' * filled}{'.' * (20 - filled)}] {done}/{total} students, {seconds:.0f} s"

    def next_number(self) -> int:
        numbers = [int(name[len(USERNAME_PREFIX):]) for name in get_user_model().objects.filter(
            username__startswith=USERNAME_PREFIX).values_list("username", flat=True)
            if name[len(USERNAME_PREFIX):].isdigit()]
        return max(numbers, default=0) + 1

    def create_students(self, names: list[str], rng: random.Random) -> list[Student]:
        User = get_user_model()
        cohorts = [(Cohort.objects.get_or_create(name=name, defaults={"description": "Demo students."})[0], mean)
                   for name, mean in COHORTS]
        students = []
        for index, name in enumerate(names):
            user = User(username=name, email=f"{name}@example.invalid")
            user.set_unusable_password()
            user.save()
            cohort, mean = cohorts[index % len(cohorts)]
            cohort.members.add(user)
            students.append(Student(user, rng.gauss(mean, 0.9)))
        return students

    def simulate(self, student: Student, sim: Simulation, *, now: datetime, days: int, exams, topics) -> None:
        """Give ``student`` sessions on random days, in time order: practice, then review or an exam."""
        rng = sim.rng
        joined_days_ago = rng.randint(min(3, days), days)
        days_ago = sorted(rng.sample(range(joined_days_ago), min(joined_days_ago, rng.randint(3, 8))), reverse=True)
        latest = now - timedelta(hours=2)
        for number, ago in enumerate(days_ago):
            when = min((now - timedelta(days=ago)).replace(hour=rng.randint(8, 20), minute=rng.randint(0, 59)),
                       latest - timedelta(minutes=rng.randint(0, 60)))
            when = self.practice(student, sim, when, topics=rng.sample(topics, min(len(topics), rng.randint(1, 3))),
                                 count=rng.randint(5, 14))
            when = self.review(student, sim, when + timedelta(minutes=rng.randint(2, 20)))
            if exams and number >= 1 and rng.random() < 0.55:
                self.exam(student, sim, rng.choice(exams), when + timedelta(minutes=rng.randint(5, 30)))

    def practice(self, student: Student, sim: Simulation, when: datetime, *, topics, count: int) -> datetime:
        session = practice_services.practice_start(user=student.user, topic_slugs=topics, difficulty=None)
        for _ in range(count):
            try:
                response = practice_services.practice_next(session=session, when=when)
            except practice_services.NoQuestions:
                break
            answered = when + timedelta(seconds=sim.seconds(response))
            practice_services.practice_answer(session=session, response_id=response.pk, when=answered,
                                              **{"raw_choice": None, **sim.answer(student, response)})
            when = answered + timedelta(seconds=sim.rng.randint(5, 40))
        return when

    def review(self, student: Student, sim: Simulation, when: datetime) -> datetime:
        for _ in range(sim.rng.randint(0, 5)):
            response = review_current(user=student.user, now=when)
            if response is None:
                break
            answered = when + timedelta(seconds=sim.seconds(response))
            response_answer(response_id=response.pk, user=student.user, when=answered,
                            **{"raw_choice": None, **sim.answer(student, response)})
            when = answered + timedelta(seconds=10)
        return when

    def exam(self, student: Student, sim: Simulation, exam: Exam, when: datetime) -> None:
        try:
            attempt = exam_services.exam_start(user=student.user, exam=exam, when=when)
        except exam_services.ExamUnavailable:
            return
        clock = when
        for item in attempt.responses.select_related("question", "version").order_by("position"):
            exam_services.exam_item_viewed(item=item, when=clock)
            clock += timedelta(seconds=1.5 * sim.seconds(item))
            if clock >= attempt.deadline:
                break
            if sim.rng.random() < 0.04:  # left blank
                continue
            exam_services.exam_answer(attempt_id=attempt.pk, position=item.position, when=clock,
                                      **{"raw_choice": None, **sim.answer(student, item)})
        if clock >= attempt.deadline:
            exam_services.attempt_expire_if_due(attempt, when=clock)
        else:
            exam_services.exam_finish(attempt_id=attempt.pk, when=clock + timedelta(seconds=30))
