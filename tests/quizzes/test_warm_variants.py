"""``manage.py warm_variants`` renders every variant students can be given into the shared cache,
so the first student given each one (an exam start, a practice question) does not wait for it."""

import os
from io import StringIO
from unittest import mock

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command

from quizzes.models import Question
from quizzes.selectors import variants

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_caches():
    variants.variant_cache_clear()
    cache.clear()
    yield
    variants.variant_cache_clear()
    cache.clear()


def _version(qid: str):
    return Question.objects.get(qid=qid).current_version


def _warm(*args: str) -> str:
    out = StringIO()
    call_command("warm_variants", *args, stdout=out)
    return out.getvalue()


def test_after_warming_every_draw_of_the_pool_is_served_without_rendering(synced, settings):
    settings.SHARED_RESULTS_CACHE = True
    version = _version("output-size-padded")
    assert variants.warm_pool(version) >= variants.VARIANT_POOL - 1  # colliding seeds give way to the next

    variants.variant_cache_clear()  # another worker: only the shared cache has them
    seen: set[int] = set()
    with mock.patch.object(variants, "build_variant", side_effect=AssertionError("rendered on a student's request")):
        for _ in range(variants.VARIANT_POOL):
            seen.add(variants.fresh_variant(version, avoid=seen).seed)
        for seed in range(variants.VARIANT_POOL):
            variants.first_distinct(lambda near: variants.stored_variant(version, near), seed)
    assert len(seen) >= variants.VARIANT_POOL - 5


def test_warming_again_renders_nothing(synced, settings):
    settings.SHARED_RESULTS_CACHE = True
    version = _version("output-size-padded")
    variants.warm_pool(version)
    variants.variant_cache_clear()
    with mock.patch.object(variants, "build_variant", side_effect=AssertionError("rendered again")):
        assert variants.warm_pool(version) == 0


def test_the_command_warms_every_published_question(synced, settings):
    settings.SHARED_RESULTS_CACHE = True
    out = _warm("--jobs", "1")
    assert f"{Question.objects.published().count()} question(s) x 64 seeds" in out
    variants.variant_cache_clear()
    for question in Question.objects.published():
        assert variants.cached_variant(question.current_version, 7) is not None, question.qid
    assert "0 variant(s) rendered" in _warm("--jobs", "1")


def test_the_command_can_warm_one_question(synced, settings):
    settings.SHARED_RESULTS_CACHE = True
    assert "1 question(s) x 64 seeds" in _warm("--jobs", "1", "--question", "conv-window-bias")
    assert variants.cached_variant(_version("conv-window-bias"), 3) is not None
    assert variants.cached_variant(_version("output-size-padded"), 3) is None


def test_an_unknown_question_is_refused_by_name(synced, settings):
    settings.SHARED_RESULTS_CACHE = True
    with pytest.raises(CommandError, match="no published question with id no-such-question"):
        _warm("--question", "no-such-question")


def test_without_a_shared_cache_it_says_there_is_nothing_to_warm(synced, settings):
    settings.SHARED_RESULTS_CACHE = False
    with mock.patch.object(variants, "build_variant", side_effect=AssertionError("rendered for nothing")):
        assert "REDIS_URL is not set" in _warm()


def test_a_cache_that_does_not_answer_stops_it_before_any_render(synced, settings):
    settings.SHARED_RESULTS_CACHE = True
    with mock.patch.object(cache, "set", side_effect=ConnectionError("Redis is down")), \
            mock.patch.object(variants, "build_variant", side_effect=AssertionError("rendered for nothing")), \
            pytest.raises(CommandError, match=r"the shared cache does not answer \(ConnectionError\): nothing warmed"):
        _warm()


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="several processes share variants through Redis only")
def test_several_processes_warm_one_redis(synced, settings):
    assert settings.SHARED_RESULTS_CACHE
    out = _warm("--jobs", "2")
    assert "4 question(s) x 64 seeds" in out
    variants.variant_cache_clear()
    with mock.patch.object(variants, "build_variant", side_effect=AssertionError("not warmed")):
        for question in Question.objects.published():
            for seed in (0, 31, 63):
                variants.first_distinct(lambda near, v=question.current_version: variants.stored_variant(v, near),
                                        seed)
