"""Each question version's variant is rendered once per (version, seed), per process and, with Redis, shared."""

from unittest import mock

import pytest

from quizzes.content.variants import build_variant
from quizzes.models import QuestionVersion
from quizzes.selectors import variants

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache():
    variants.variant_cache_clear()
    yield
    variants.variant_cache_clear()


def _versions():
    return list(QuestionVersion.objects.order_by("pk"))


def test_stored_variant_is_rendered_once_per_version_and_seed(synced):
    version = _versions()[0]
    with mock.patch.object(variants, "build_variant", wraps=build_variant) as built:
        first = variants.stored_variant(version, 11)
        again = variants.stored_variant(QuestionVersion.objects.get(pk=version.pk), 11)
        other_seed = variants.stored_variant(version, 12)
    assert again is first
    assert other_seed.seed == 12
    assert built.call_count == 2
    assert first == build_variant(variants.version_source(version), 11)


def test_a_version_with_other_content_under_the_same_pk_is_rendered_afresh(synced):
    version = _versions()[0]
    first = variants.stored_variant(version, 5)
    changed = QuestionVersion.objects.get(pk=version.pk)
    changed.content_hash = "something-else"
    changed.data = {**changed.data, "stem": "A different stem entirely."}
    with mock.patch.object(variants, "build_variant", wraps=build_variant) as built:
        second = variants.stored_variant(changed, 5)
    assert built.call_count == 1
    assert second.stem_html != first.stem_html


def test_with_a_shared_cache_another_worker_reuses_the_rendered_variant(synced, settings):
    settings.SHARED_RESULTS_CACHE = True
    version = _versions()[1]
    first = variants.stored_variant(version, 21)
    variants.variant_cache_clear()  # as if another worker process asked
    with mock.patch.object(variants, "build_variant", side_effect=AssertionError("rendered again")):
        assert variants.stored_variant(version, 21) == first


def test_without_a_shared_cache_nothing_is_stored_in_djangos_cache(synced, settings):
    settings.SHARED_RESULTS_CACHE = False
    from django.core.cache import cache

    with mock.patch.object(cache, "set", side_effect=AssertionError("shared")):
        variants.stored_variant(_versions()[0], 3)


def test_a_failing_shared_cache_only_costs_a_render(synced, settings):
    settings.SHARED_RESULTS_CACHE = True
    from django.core.cache import cache

    with mock.patch.object(cache, "get", side_effect=ConnectionError("down")), \
            mock.patch.object(cache, "set", side_effect=ConnectionError("down")):
        variant = variants.stored_variant(_versions()[0], 8)
    assert variant.seed == 8


def test_a_drawn_variant_is_the_rendered_one_its_pages_show(synced):
    """Starting an exam or a practice question draws from the same cache the pages read."""
    version = _versions()[2]
    drawn = variants.fresh_variant(version)
    with mock.patch.object(variants, "build_variant", side_effect=AssertionError("built again")):
        shown = variants.stored_variant(version, drawn.seed)
    assert shown is drawn
    assert shown.stem_html


def test_drawing_a_variant_another_worker_computed_runs_no_scenario(synced, settings, monkeypatch):
    settings.SHARED_RESULTS_CACHE = True
    version = _versions()[3]
    computed = variants.stored_variant(version, 17)
    variants.variant_cache_clear()  # as if another worker process started the next exam
    monkeypatch.setattr(variants, "new_seed", lambda avoid=(): 17)
    from quizzes import scenario_runs

    with mock.patch.object(scenario_runs, "_run", side_effect=AssertionError("a scenario ran")):
        drawn = variants.fresh_variant(version)
    assert drawn == computed


def test_grading_a_shown_number_reads_its_key_from_the_variant_without_a_run(content):
    """At submit, a typed number is graded against the variant the student was shown: the
    variants' cache has it, so no scenario runs again (it did, once per worker and seed)."""
    from quizzes import scenario_runs
    from quizzes.content.sync import sync_content
    from quizzes.services import grading
    from tests.conftest import NUMERIC

    content.question("conv-window-typed", NUMERIC)
    sync_content(root=content.root)
    version = next(v for v in _versions() if grading.is_numeric(v))
    shown = variants.stored_variant(version, 9)
    grading._KEYS.clear()
    with mock.patch.object(scenario_runs, "_run", side_effect=AssertionError("a scenario ran")):
        key = grading.answer_key(version, 9)
    assert key == shown.answer
    assert key.tolerance == grading.version_tolerance(version)
