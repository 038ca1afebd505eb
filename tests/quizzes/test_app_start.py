"""Starting the site: what must be imported before any second thread runs.

``manage.py runserver`` imports the URLconf in its reloader thread while its other thread runs the
system checks (which import the template tags). On Python 3.11, one thread importing the package
``cnncore.scenarios`` while another imports a submodule (``cnncore.scenarios.params``) can deadlock
(``_DeadlockError``: each holds the lock the other needs), and the server never serves: `make run`
failed that way in two starts of three. The app imports the scenarios while Django sets up.
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_django_setup_imports_the_scenario_registry_before_any_thread_starts():
    code = ("import sys, django; django.setup(); "
            "print(all(name in sys.modules for name in ('cnncore.scenarios', 'cnncore.scenarios.params')))")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "True"
