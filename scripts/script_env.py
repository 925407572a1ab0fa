"""Shared set-up of the acceptance scripts that run the Sugarmill binary with Python packages
from PyPI (otlp-acceptance.py, otlp-traces-acceptance.py): the binary to run, a free local port,
and re-running the calling script in a /tmp virtual environment when its packages are missing."""

import os, socket, subprocess, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def ensure_packages(script, modules, packages, venv):
    """Returns when every module in `modules` imports; otherwise installs `packages` into `venv`
    and exits with the status of `script` run again there."""
    try:
        for module in modules:
            __import__(module)
        return
    except ImportError:
        pass
    marker = "SUGARMILL_VENV_RUN_" + os.path.basename(venv).replace("-", "_").upper()
    if os.environ.get(marker):
        sys.exit(f"FAIL: {', '.join(packages)} still missing after installing them")
    python = os.path.join(venv, "bin", "python")
    if not os.path.exists(python):
        subprocess.check_call([sys.executable, "-m", "venv", venv])
    subprocess.check_call([python, "-m", "pip", "install", "-q", *packages])
    env = dict(os.environ, **{marker: "1"})
    sys.exit(subprocess.call([python, os.path.abspath(script), *sys.argv[1:]], env=env))


def binary():
    """$SUGARMILL_BIN, else the release build, else the debug build."""
    if os.environ.get("SUGARMILL_BIN"):
        return os.environ["SUGARMILL_BIN"]
    for build in ("release", "debug"):
        path = os.path.join(ROOT, ".build", build, "sugarmill")
        if os.path.exists(path):
            return path
    sys.exit("FAIL: no sugarmill binary: build one (swift build) or set SUGARMILL_BIN")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
