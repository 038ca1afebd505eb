"""QTI 3.0 output validates against the official ASI schema (vendored in schemas/)."""

import io
import zipfile

import pytest

from quizzes.interchange import build, qti3


def test_every_question_of_the_bank_is_a_valid_qti3_item(real_bank, qti_schema):
    items = build.bank_items(real_bank, variants=2)
    invalid = {}
    for item in items:
        errors = list(qti_schema.iter_errors(qti3.item_xml(item)))
        if errors:
            invalid[item.name] = str(errors[0])[:300]
    assert len(items) > 100 and invalid == {}


def test_a_typed_number_is_a_valid_text_entry_item_with_its_tolerance_mode(real_bank, qti_schema):
    from .test_build import numeric_source

    (item,) = build.question_items(numeric_source(), real_bank, topic_title="Output size", variants=1)
    xml = qti3.item_xml(item)
    qti_schema.validate(xml)
    assert 'tolerance-mode="relative" tolerance="1 1"' in xml and "qti-text-entry-interaction" in xml


def test_the_schema_check_can_fail(qti_schema):
    broken = qti3.item_xml(build.Item(name="x", idnumber="x", stem_html="<p>x</p>",
                                      choices=[build.ItemChoice("a", True), build.ItemChoice("b", False)]))
    broken = broken.replace("<qti-item-body>", "<qti-item-body><qti-nonsense/>")
    with pytest.raises(Exception, match="qti-nonsense"):
        qti_schema.validate(broken)


def test_the_package_lists_every_item_in_its_manifest(real_bank):
    items = build.bank_items(real_bank, pattern="pooling/*", variants=2)
    with zipfile.ZipFile(io.BytesIO(qti3.write(items))) as package:
        names = package.namelist()
        manifest = package.read("imsmanifest.xml").decode()
    assert names[0] == "imsmanifest.xml" and len(names) == len(items) + 1
    assert all(f'href="{name}"' in manifest for name in names[1:])
    assert 'type="imsqti_item_xmlv3p0"' in manifest
