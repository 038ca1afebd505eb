"""export_bank and import_bank from the command line."""

import io
import re
import zipfile

import pytest
from django.core.management import CommandError, call_command


def test_export_bank_writes_each_format(tmp_path, settings, capsys):
    for fmt, name in (("moodle-xml", "bank.xml"), ("gift", "bank.gift"), ("qti3", "bank.zip")):
        out = tmp_path / name
        call_command("export_bank", str(out), format=fmt, questions="pooling/*", variants=2)
        assert out.stat().st_size > 1000
    assert "question(s) as" in capsys.readouterr().out
    assert zipfile.ZipFile(io.BytesIO((tmp_path / "bank.zip").read_bytes())).namelist()[0] == "imsmanifest.xml"


@pytest.mark.parametrize(("options", "message"), [
    ({"questions": "no-such-*"}, "no question matches 'no-such-*'"),
    ({"variants": 0}, "--variants must be 1 to 100, got 0"),
])
def test_export_bank_refuses_with_a_reason(tmp_path, options, message):
    with pytest.raises(CommandError, match=re.escape(message)):
        call_command("export_bank", str(tmp_path / "x.xml"), format="moodle-xml", **options)


def test_import_bank_dry_run_then_import_then_refuse_to_overwrite(tmp_path, settings, empty_bank_root, capsys):
    exported = tmp_path / "pool.xml"
    call_command("export_bank", str(exported), format="moodle-xml", questions="pool-purpose", variants=1)
    settings.CONTENT_DIR = empty_bank_root
    call_command("import_bank", str(exported), topic="pooling", dry_run=True)
    assert "Would write 1 question file(s)." in capsys.readouterr().out
    assert not list(empty_bank_root.rglob("*.md"))
    call_command("import_bank", str(exported), topic="pooling")
    assert (empty_bank_root / "questions" / "pooling" / "pool-purpose.md").exists()
    with pytest.raises(CommandError, match="1 problem\\(s\\); nothing was written"):
        call_command("import_bank", str(exported), topic="pooling")
    assert "pool.xml:question 1: id 'pool-purpose' is already used by" in capsys.readouterr().err
    call_command("validate_content")
