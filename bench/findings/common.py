"""Shared set-up for the findings benchmarks: the corpora (sdists from
PyPI, cached under bench/.cache, never committed), a venv with the peers
(ruff 0.16.4, bandit 1.8.0) and the pyloom release binary."""

import os
import subprocess
import sys
import tarfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CACHE = Path(os.environ.get("PYLOOM_BENCH_CACHE", REPO / "bench" / ".cache"))
VENV = CACHE / "venv"
CORPORA = {"django": ("django", "5.1.4"), "flask": ("flask", "3.1.0"), "requests": ("requests", "2.32.3"),
           "bandit": ("bandit", "1.8.0")}
PEERS = ["ruff==0.16.4", "bandit==1.8.0"]


def venv_bin(name: str) -> Path:
    return VENV / "bin" / name


def ensure_venv() -> None:
    if not venv_bin("ruff").exists() or not venv_bin("bandit").exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        subprocess.run([str(venv_bin("pip")), "install", "-q", *PEERS], check=True)


def corpus(key: str) -> Path:
    """The unpacked sdist of a corpus."""
    name, version = CORPORA[key]
    sdists = CACHE / "sdists"
    found = [p for p in sdists.glob("*.tar.gz") if p.name.lower().startswith(f"{name}-{version}")] if sdists.exists() else []
    if not found:
        ensure_venv()
        subprocess.run([str(venv_bin("pip")), "download", "-q", "--no-deps", "--no-binary", ":all:",
                        f"{name}=={version}", "-d", str(sdists)], check=True)
        found = [p for p in sdists.glob("*.tar.gz") if p.name.lower().startswith(f"{name}-{version}")]
    sdist = found[0]
    root = CACHE / "src" / sdist.name[: -len(".tar.gz")]
    if not root.exists():
        with tarfile.open(sdist) as tar:
            tar.extractall(CACHE / "src", filter="data")
    return root


def pyloom_bin() -> Path:
    """The release binary (built if needed), or $PYLOOM_BIN."""
    if os.environ.get("PYLOOM_BIN"):
        return Path(os.environ["PYLOOM_BIN"])
    subprocess.run(["cargo", "build", "--quiet", "--release", "-p", "pyloom"], cwd=REPO, check=True)
    return REPO / "target" / "release" / "pyloom"
