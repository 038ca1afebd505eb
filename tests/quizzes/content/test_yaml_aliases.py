"""YAML anchors and aliases are refused in every content file, quickly, with ``path:line``.

A nine-level "billion laughs" would otherwise expand to 9^9 items in validation, sync and preview.
"""

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.urls import reverse

from quizzes.content import errors as E
from quizzes.content.bank import load_bank
from quizzes.content.errors import ContentInvalid
from quizzes.content.sync import sync_content
from quizzes.content.validate import validate_bank
from quizzes.content.yamlish import load_yaml
from quizzes.roles import AUTHORS_GROUP
from tests.conftest import EXAM, STATIC


def bomb(levels: int = 9, indent: str = "") -> str:
    """Return YAML lines defining anchors l0..l(levels-1), each level nine aliases of the one before."""
    lines = [f'{indent}l0: &l0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(1, levels):
        aliases = ",".join([f"*l{level - 1}"] * 9)
        lines.append(f"{indent}l{level}: &l{level} [{aliases}]")
    return "\n".join(lines) + "\n"


BOMBED_QUESTION = STATIC.replace("tags: [bias]\n", "tags: [bias]\nextra:\n" + bomb(indent="  "))


def test_load_yaml_refuses_an_anchor_at_its_line():
    loaded = load_yaml("a: 1\nb: &x [1, 2]\nc: *x\n", path="f.yml", first_line=1)
    assert [str(e) for e in loaded.errors] == [f"f.yml:2: {E.YAML_ALIAS}"]
    assert loaded.value is None


def test_load_yaml_refuses_a_bare_alias():
    loaded = load_yaml("a: 1\nc: *x\n", path="f.yml", first_line=5)
    assert loaded.errors and str(loaded.errors[0]).startswith("f.yml:6: ")


def test_plain_ampersands_and_stars_in_strings_are_fine():
    loaded = load_yaml('a: "x & y"\nb: "*bold*"\nc: a&b\n', path="f.yml")
    assert loaded.errors == [] and loaded.value == {"a": "x & y", "b": "*bold*", "c": "a&b"}


def test_validate_refuses_a_nine_level_bomb_in_front_matter(content):
    path = content.question("bomb", BOMBED_QUESTION)
    found = [str(e) for e in validate_bank(load_bank(content.root))]
    assert f"{content.display(path)}:7: {E.YAML_ALIAS}" in found


def test_validate_refuses_a_bomb_in_topics_misconceptions_and_exams(content):
    (content.root / "topics.yml").write_text("# bombed\n" + bomb())
    (content.root / "misconceptions.yml").write_text(bomb())
    content.exam("bombed", EXAM.replace("pass_mark: 50\n", "pass_mark: 50\n" + bomb()))
    found = [str(e) for e in validate_bank(load_bank(content.root))]
    assert f"content/topics.yml:2: {E.YAML_ALIAS}" in found
    assert f"content/misconceptions.yml:1: {E.YAML_ALIAS}" in found
    assert f"content/exams/bombed.md:6: {E.YAML_ALIAS}" in found


@pytest.mark.django_db
def test_sync_refuses_the_bomb_and_writes_nothing(good_content, capsys):
    good_content.question("bomb", BOMBED_QUESTION)
    with pytest.raises(CommandError, match="nothing was synced"):
        call_command("sync_content")
    assert f"bomb.md:7: {E.YAML_ALIAS}" in capsys.readouterr().err
    with pytest.raises(ContentInvalid) as invalid:
        sync_content(root=good_content.root, dry_run=True)
    assert any(E.YAML_ALIAS in str(e) for e in invalid.value.errors)


@pytest.mark.django_db
def test_author_preview_shows_the_refusal(client, django_user_model, good_content):
    user = django_user_model.objects.create_user("writer", password="pw-long-enough-1")
    user.groups.add(Group.objects.get(name=AUTHORS_GROUP))
    client.force_login(user)
    good_content.question("bomb", BOMBED_QUESTION)
    response = client.get(reverse("preview_file", args=["questions/convolution/bomb.md"]))
    assert response.status_code == 200
    assert "anchors and aliases" in response.content.decode()
