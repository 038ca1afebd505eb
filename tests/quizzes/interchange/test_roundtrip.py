"""Export -> import -> export gives the same file, over the whole bank in content/ (per topic)."""

import difflib

import pytest

from quizzes.content.bank import load_bank
from quizzes.interchange import build, gift, moodle_xml
from quizzes.interchange.importer import plan_import, write_plan
from quizzes.interchange.model import ImportRefused

from .conftest import CONTENT

TOPICS = [line.split(":", 1)[1].strip() for line in (CONTENT / "topics.yml").read_text().splitlines()
          if line.startswith("- slug:")]
FORMATS = {"moodle-xml": moodle_xml, "gift": gift}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("topic", TOPICS)
def test_every_question_of_the_bank_round_trips_to_the_same_file(fmt, topic, real_bank, empty_bank_root):
    module = FORMATS[fmt]
    first = module.write(build.bank_items(real_bank, pattern=f"{topic}/*"))
    items, problems = module.read(first.encode(), f"{topic}.{fmt}")
    assert not problems
    try:
        plan = plan_import(items, problems, file=f"{topic}.{fmt}", bank=load_bank(empty_bank_root), topic=topic)
    except ImportRefused as refused:  # pragma: no cover - the message is the point
        pytest.fail("\n".join(map(str, refused.problems)))
    write_plan(plan)
    second = module.write(build.bank_items(load_bank(empty_bank_root), pattern=f"{topic}/*"))
    assert first == second, "\n".join(difflib.unified_diff(first.split("\n"), second.split("\n"), lineterm="", n=1))
