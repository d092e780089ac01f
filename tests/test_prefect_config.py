"""The Prefect API URL is read the way Prefect reads it: environment, then the active profile."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT


def test_the_api_url_set_with_prefect_config_is_the_one_used(tmp_path: Path) -> None:
    """`prefect config set PREFECT_API_URL=…` (README step 2) is seen without the variable."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("PREFECT_")}
    env["PREFECT_HOME"] = str(tmp_path / "prefect-home")
    url = "http://127.0.0.1:4999/api"
    prefect = Path(sys.executable).with_name("prefect")
    subprocess.run([str(prefect), "config", "set", f"PREFECT_API_URL={url}"], env=env,
                   check=True, capture_output=True, timeout=120)
    probe = "from flows.commands import prefect_api_url; print(prefect_api_url())"
    done = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True,
                          text=True, timeout=120, check=True, cwd=ROOT)
    assert done.stdout.strip() == url
    del env["PREFECT_HOME"]
    env["PREFECT_HOME"] = str(tmp_path / "empty-home")
    done = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True,
                          text=True, timeout=120, check=True, cwd=ROOT)
    assert done.stdout.strip() == "None"
