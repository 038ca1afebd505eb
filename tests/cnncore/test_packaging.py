"""cnncore installs from this repository on its own (for the lab's notebooks): pip builds a wheel
holding cnncore and nothing of the site, and the installed copy runs a scenario."""

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_pip_builds_a_cnncore_only_wheel_that_runs_a_scenario(tmp_path):
    source = tmp_path / "src"
    source.mkdir()
    shutil.copy(REPO / "pyproject.toml", source)
    shutil.copytree(REPO / "cnncore", source / "cnncore", ignore=shutil.ignore_patterns("__pycache__"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", str(source), "-w", str(tmp_path / "dist")],
                   check=True, capture_output=True, timeout=300)
    (wheel,) = (tmp_path / "dist").glob("*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    packages = {name.split("/")[0] for name in names}
    assert packages == {"cnncore", wheel.name.split("-")[0] + "-" + wheel.name.split("-")[1] + ".dist-info"}
    assert "cnncore/scenarios/conv_window.py" in names and "cnncore/nn/layers.py" in names
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
                   check=True, capture_output=True, timeout=300)
    run = subprocess.run(
        [sys.executable, "-c", "import cnncore, cnncore.scenarios as s; "
         "print(cnncore.__file__); print(s.run('conv-output-size').result_values()['out_h'])"],
        cwd=tmp_path, env={"PYTHONPATH": str(target)}, capture_output=True, text=True, check=True, timeout=120)
    installed, out_h = run.stdout.split()
    assert installed.startswith(str(target)) and out_h == "28"
