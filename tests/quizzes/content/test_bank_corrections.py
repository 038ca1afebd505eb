"""The instructor's audit of the bank: numbers shown with one format, and every step's inputs in the stem."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from quizzes.content.bank import load_bank
from quizzes.content.variants import build_variant

BANK = {q.id: q for q in load_bank(Path(settings.BASE_DIR) / "content").questions}


def text_of(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", html)


@pytest.mark.parametrize("seed", range(0, 300, 3))
def test_output_weight_choices_keep_four_significant_digits_and_never_collide(seed):
    variant = build_variant(BANK["chain-rule-output-weight"], seed)
    texts = [choice.text for choice in variant.choices]
    assert len(set(texts)) == len(texts)
    for text in texts:
        digits = re.sub(r"^-?0?\.?0*|e.*$|\.", "", text)
        assert len(digits) >= 3 or float(text) == round(float(text), 6), text


def test_output_weight_stem_shows_y_t_and_the_preactivation():
    stem = build_variant(BANK["chain-rule-output-weight"], 7).stem_html
    for symbol in ("<mi>y</mi>", "<mi>t</mi>", "<msub><mi>z</mi><mn>0</mn></msub>"):
        assert symbol in stem


@pytest.mark.parametrize("seed", range(40))
def test_true_class_probability_reads_the_same_in_the_vector_and_the_stem(seed):
    variant = build_variant(BANK["loss-ce-gradient-true-class"], seed)
    numbers = re.findall(r"<mn>([^<]+)</mn>", variant.stem_html)
    target = numbers[-1]
    assert target in numbers[:-1], (target, numbers)


@pytest.mark.parametrize("qid, stale", [
    ("conv-input-gradient-flip", "have different shapes"),
    ("init-zero-weights-relu", "All weights get the same nonzero gradient and all increase together.\n  feedback: That is"),
    ("loop-zero-grad", "grows with $t$"),
])
def test_audited_feedback_no_longer_claims_what_is_false(qid, stale):
    source = Path(settings.BASE_DIR, "content", "questions").rglob(f"{qid}.md")
    assert stale not in next(source).read_text()
