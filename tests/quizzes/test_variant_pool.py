"""Students are given variants from a pool of VARIANT_POOL seeds per question (so the computed and
rendered variants are reused across a class), never one they were shown before while others remain."""

import pytest
from django.utils import timezone

from quizzes.models import Exam, Question, Response
from quizzes.selectors.variants import VARIANT_POOL, new_seed, seeds_seen
from quizzes.services import exams as exam_services
from quizzes.services.responses import response_create

pytestmark = pytest.mark.django_db


def test_new_seeds_are_drawn_from_the_pool_and_avoid_what_was_seen():
    assert {new_seed() for _ in range(500)} <= set(range(VARIANT_POOL))
    all_but_one = set(range(VARIANT_POOL)) - {17}
    assert {new_seed(all_but_one) for _ in range(20)} == {17}
    assert 0 <= new_seed(set(range(VARIANT_POOL))) < VARIANT_POOL  # all seen: any of the pool


def test_a_student_is_shown_every_variant_of_a_question_before_one_again(synced, student):
    question = Question.objects.get(qid="conv-window-bias")  # static: no seed's choices collide
    now = timezone.now()
    seeds = [response_create(user=student, question=question, mode=Response.Mode.PRACTICE, when=now).seed
             for _ in range(VARIANT_POOL)]
    assert sorted(seeds) == list(range(VARIANT_POOL))
    again = response_create(user=student, question=question, mode=Response.Mode.PRACTICE, when=now)
    assert 0 <= again.seed < VARIANT_POOL
    assert seeds_seen(student, [question.pk]) == {question.pk: set(range(VARIANT_POOL))}


def test_a_second_exam_attempt_avoids_the_first_attempts_variants(synced, student):
    exam = Exam.objects.get(slug="tiny-exam")
    first = exam_services.exam_start(user=student, exam=exam, when=timezone.now())
    exam_services.exam_finish(attempt_id=first.pk, when=timezone.now())
    shown_first = dict(first.responses.values_list("question_id", "seed"))
    second = exam_services.exam_start(user=student, exam=exam, when=timezone.now())
    for question_id, seed in second.responses.values_list("question_id", "seed"):
        assert seed < VARIANT_POOL + 8  # the pool, or a few past it where choices collided
        if question_id in shown_first:
            assert seed != shown_first[question_id]


def test_a_seed_whose_choices_collide_never_leads_to_a_variant_already_shown(synced, monkeypatch):
    """build_variant_near moves past a seed whose choices collide to the next one: if that one was
    shown before, another seed is drawn."""
    from quizzes.content import variants as content_variants
    from quizzes.selectors import variants

    version = Question.objects.get(qid="conv-window-bias").current_version
    real = variants.build_variant

    def collide_on_odd_seeds(question, seed, render=True):
        if seed % 2:
            raise content_variants.ChoiceCollision("two choices read the same", (1, 2))
        return real(question, seed, render=render)

    variants.variant_cache_clear()
    monkeypatch.setattr(variants, "build_variant", collide_on_odd_seeds)
    shown_before = {seed for seed in range(0, VARIANT_POOL, 2) if seed != 40}  # every even seed but 40
    seeds = {variants.fresh_variant(version, avoid=shown_before).seed for _ in range(40)}
    assert seeds and not seeds & shown_before
    assert seeds <= {40, VARIANT_POOL}  # 39 moves on to 40; 63 moves on to 64, past the pool
    variants.variant_cache_clear()  # nothing drawn under the pretend collisions is kept
