"""Numeric parameters accept plain decimals and scientific notation, nothing a person never means."""

import pytest

from cnncore.scenarios.params import Param, ParameterError, validate_seed

INT = Param("stride", "int", 1, min=0, max=100)
FLOAT = Param("learning_rate", "float", 0.1, min=-100, max=100)

REFUSED = ["1_0", " 1", "1 ", "0x10", "1e", "infinity", "inf", "-inf", "nan", "NaN", "", "+", ".", "1.2.3",
           "१", "1,5", "0b1", "0o7", "e5", "--1", "1e+", "\t1", "1\n"]


@pytest.mark.parametrize("text", REFUSED)
def test_int_refuses_python_only_spellings(text):
    with pytest.raises(ParameterError) as refused:
        INT.parse(text)
    assert refused.value.param == "stride" and "stride" in refused.value.message


@pytest.mark.parametrize("text", REFUSED)
def test_float_refuses_python_only_spellings(text):
    with pytest.raises(ParameterError) as refused:
        FLOAT.parse(text)
    assert refused.value.param == "learning_rate"


@pytest.mark.parametrize("text", REFUSED)
def test_seed_refuses_python_only_spellings(text):
    with pytest.raises(ParameterError):
        validate_seed(text)


@pytest.mark.parametrize(("text", "value"), [
    ("10", 10), ("+3", 3), ("-0", 0), ("2.0", 2), ("1e1", 10), ("1E1", 10), ("007", 7), ("2.5e1", 25),
])
def test_int_accepts_decimals_and_scientific_notation(text, value):
    assert INT.parse(text) == value


@pytest.mark.parametrize(("text", "value"), [
    ("0.5", 0.5), (".5", 0.5), ("5.", 5.0), ("-1.25", -1.25), ("1e-3", 0.001), ("3E+1", 30.0), ("+2", 2.0),
])
def test_float_accepts_decimals_and_scientific_notation(text, value):
    assert FLOAT.parse(text) == value


def test_typed_values_still_pass():
    assert INT.parse(3) == 3 and FLOAT.parse(0.25) == 0.25 and validate_seed(7) == 7
