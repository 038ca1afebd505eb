"""Tests of the command line: python -m cnncore list / run."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from cnncore import scenarios
from cnncore.cli import main

ROOT = Path(__file__).resolve().parents[2]


def test_list_prints_every_scenario_with_topic_and_summary(capsys):
    assert main(["list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines] == [s.name for s in scenarios.all_scenarios()]
    assert "conv-output-size" in lines[9] and "output-size" in lines[9]


def test_run_prints_readable_text(capsys):
    assert main(["run", "conv-output-size", "--input-height", "7", "--kernel_size=4",
                 "--stride", "2", "--padding", "1"]) == 0
    out = capsys.readouterr().out
    assert "out_h = 3" in out and "[forgot_padding]" in out


def test_scenario_name_alone_means_run(capsys):
    assert main(["conv-window", "--seed", "3"]) == 0
    assert "params: input_size=5" in capsys.readouterr().out


def test_json_output_is_the_trace_dict(capsys):
    assert main(["run", "conv-window", "--row", "1", "--seed", "9", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data == scenarios.run("conv-window", {"row": 1}, seed=9).to_dict()


def test_bool_flag_without_value_means_true(capsys):
    assert main(["run", "conv-window", "--integer-values", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["params"]["integer_values"] is True
    assert main(["run", "conv-window", "--integer-values", "false", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["params"]["integer_values"] is False


def test_negative_numbers_are_values(capsys):
    assert main(["run", "activation-derivatives", "--preactivation", "-2", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["params"]["preactivation"] == -2.0


@pytest.mark.parametrize(("argv", "message"), [
    (["run", "training-iteration", "--learning-rate", "50"],
     "error: learning_rate must be between 0.0001 and 10, got 50"),
    (["run", "conv-window", "--colour", "red"], "error: conv-window has no parameter 'colour'"),
    (["run", "conv-window", "--padding"], "error: --padding needs a value"),
    (["run", "conv-window", "stride", "2"], "error: expected --PARAM VALUE, got 'stride'"),
    (["run", "conv-window", "--seed", "-1"], "error: seed must be a whole number between 0 and"),
    (["run", "nope"], "error: unknown scenario 'nope'; known scenarios: training-iteration"),
    (["run"], "error: run needs a scenario name"),
])
def test_bad_input_prints_the_error_and_exits_2(capsys, argv, message):
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.err.startswith(message) and captured.out == ""


def test_help_lists_the_parameters(capsys):
    assert main(["run", "training-iteration", "--help"]) == 0
    out = capsys.readouterr().out
    assert "--learning_rate (float from 0.0001 to 10; default 0.05)" in out
    assert "--label (one of dog, cat, bird; default dog)" in out
    assert main([]) == 2 and "usage:" in capsys.readouterr().out


def test_python_dash_m_runs_without_a_traceback_on_bad_input():
    command = [sys.executable, "-m", "cnncore", "run", "conv-window", "--stride", "9"]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert done.stderr == "error: stride must be between 1 and 3, got 9\n"
    ok = subprocess.run([sys.executable, "-m", "cnncore", "list"], cwd=ROOT, capture_output=True,
                        text=True, timeout=60)
    assert ok.returncode == 0 and "training-loop" in ok.stdout
