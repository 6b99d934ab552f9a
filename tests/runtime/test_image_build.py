"""Replay the Dockerfile's build steps in a clean virtual environment, then run the installed bot as the image would.

Docker cannot run here, so this test reads the Dockerfile and mirrors each instruction under a temporary root:
COPY copies from a copy of the repository (without .git and .venv), RUN's `pip install` runs in a fresh venv,
ENV is kept (paths re-rooted), and then the image's checks run: `python -m bot check /app/content`, importing the
app, the CMD in webhook mode against the emulator, and the HEALTHCHECK command.
"""

from __future__ import annotations

import asyncio
import json
import os
import shlex
import shutil
import socket
import subprocess
import venv
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from bot.config import PROJECT_ROOT
from bot.emulator import Emulator
from tests.runtime.procs import BotProcess, bot_env, free_port

pytestmark = pytest.mark.slow
DOCKERFILE = PROJECT_ROOT / "Dockerfile"
SKIPPED_AS_NON_ROOT = ("useradd", "chown")  # user management needs root; the image does it, the test cannot


@dataclass
class Image:
    """What the Dockerfile declares, as far as the build replay needs."""

    base: str = ""
    env: dict[str, str] = field(default_factory=dict)
    copies: list[tuple[list[str], str]] = field(default_factory=list)
    runs: list[str] = field(default_factory=list)
    steps: list[tuple[str, object]] = field(default_factory=list)
    healthcheck: list[str] = field(default_factory=list)
    cmd: list[str] = field(default_factory=list)
    user: str = ""


def instructions(text: str) -> list[tuple[str, str]]:
    """The Dockerfile's instructions, continuation lines joined, comments dropped."""
    joined: list[str] = []
    current = ""
    for line in text.splitlines():
        stripped = line.strip()
        if not current and (not stripped or stripped.startswith("#")):
            continue
        if stripped.endswith("\\"):
            current += stripped[:-1] + " "
            continue
        joined.append(current + stripped)
        current = ""
    result = []
    for item in joined:
        keyword, _, rest = item.partition(" ")
        result.append((keyword.upper(), rest.strip()))
    return result


def parse(text: str) -> Image:
    """Read the instructions the replay understands; fail on any instruction it does not."""
    image = Image()
    for keyword, rest in instructions(text):
        if keyword == "FROM":
            image.base = rest
        elif keyword == "ENV":
            for pair in shlex.split(rest):
                name, _, value = pair.partition("=")
                image.env[name] = value
                image.steps.append(("ENV", (name, value)))
        elif keyword == "COPY":
            *sources, dest = shlex.split(rest)
            image.copies.append((sources, dest))
            image.steps.append(("COPY", (sources, dest)))
        elif keyword == "RUN":
            image.runs.append(rest)
            image.steps.append(("RUN", rest))
        elif keyword == "HEALTHCHECK":
            image.healthcheck = json.loads(rest[rest.index("CMD") + 3 :].strip())
        elif keyword == "CMD":
            image.cmd = json.loads(rest)
        elif keyword == "USER":
            image.user = rest
        elif keyword not in {"WORKDIR", "EXPOSE", "VOLUME", "STOPSIGNAL", "LABEL", "ARG"}:
            raise AssertionError(f"the build replay does not know Dockerfile instruction {keyword}")
    return image


def test_the_dockerfile_follows_the_deployment_rules() -> None:
    image = parse(DOCKERFILE.read_text())
    assert image.base.startswith("python:3.11-slim")
    assert image.user and image.user != "root"
    assert image.cmd == ["python", "-m", "bot"]
    assert image.healthcheck[:2] == ["python", "-c"] and "/healthz" in image.healthcheck[2]
    assert "urllib.request" in image.healthcheck[2] and "curl" not in " ".join(image.runs + image.healthcheck)
    assert (image.env["CONTENT_DIR"], image.env["LOCALES_DIR"]) == ("/app/content", "/app/locales")
    assert any("pip install" in run and "-e" not in shlex.split(run) for run in image.runs)


def _index_reachable() -> str | None:
    """None when the package index answers; otherwise why not."""
    index = os.environ.get("PIP_INDEX_URL", "https://pypi.org/simple")
    host = urlsplit(index).hostname or "pypi.org"
    port = urlsplit(index).port or (443 if index.startswith("https") else 80)
    try:
        socket.create_connection((host, port), timeout=5).close()
    except OSError as exc:
        return f"the package index {host} is unreachable ({exc}); the image build replay needs it"
    return None


class Replay:
    """The Dockerfile's steps under `root`: `/app` becomes `root/app`, `/src` becomes `root/src` and so on."""

    def __init__(self, root: Path, context: Path) -> None:
        self.root = root
        self.context = context
        self.venv = root / "venv"
        self.env: dict[str, str] = {}

    @property
    def python(self) -> str:
        """The venv's interpreter: what `python` means inside the image."""
        return str(self.venv / "bin" / "python")

    def clean_env(self) -> dict[str, str]:
        """The image's environment: its ENV lines and PATH, nothing from this test run."""
        return {"PATH": os.environ.get("PATH", ""), **self.env}

    def path(self, image_path: str) -> Path:
        """Where an absolute path of the image lives in the replay."""
        return self.root / image_path.lstrip("/")

    def rooted(self, value: str) -> str:
        """An ENV value with image paths re-rooted."""
        return str(self.path(value)) if value.startswith("/") else value

    def copy(self, sources: list[str], dest: str) -> None:
        """COPY: a directory keeps its name only when copied onto an explicit directory path."""
        target = self.path(dest)
        for source in sources:
            origin = self.context / source
            if origin.is_dir():
                shutil.copytree(origin, target if len(sources) == 1 else target / origin.name, dirs_exist_ok=True)
            elif dest.endswith("/"):
                target.mkdir(parents=True, exist_ok=True)
                shutil.copy2(origin, target / origin.name)
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(origin, target)

    def run(self, command: str) -> None:
        """RUN: each `&&` part, with image paths re-rooted and pip being the venv's pip."""
        for part in command.split("&&"):
            words = shlex.split(part)
            if words[0] in SKIPPED_AS_NON_ROOT:
                continue
            words = [self.rooted(w) if w.startswith("/") else w for w in words]
            if words[0] == "pip":
                words = [self.python, "-m", "pip", *words[1:]]
            elif words[0] not in {"mkdir", "rm"}:
                raise AssertionError(f"the build replay does not run {words[0]!r}; keep RUN lines simple")
            env = {**os.environ, **self.env}
            env.pop("PIP_NO_CACHE_DIR", None)  # the replay may reuse pip's cache; the image must not keep one
            result = subprocess.run(words, env=env, capture_output=True, text=True, timeout=900, check=False)
            assert result.returncode == 0, f"RUN {' '.join(words)} failed:\n{result.stdout}\n{result.stderr}"


@pytest.fixture(scope="module")
def image(tmp_path_factory: pytest.TempPathFactory) -> Replay:
    """The replayed image: a clean venv with the project installed the way the Dockerfile installs it."""
    reason = _index_reachable()
    if reason:
        pytest.skip(reason)
    tmp_path = tmp_path_factory.mktemp("image-build")
    context = tmp_path / "context"  # the build context, as .dockerignore leaves it: no .git, no .venv
    shutil.copytree(
        PROJECT_ROOT,
        context,
        ignore=shutil.ignore_patterns(".git", ".venv", "__pycache__", "*.egg-info", "build", "data", ".*_cache"),
    )
    replay = Replay(tmp_path / "image", context)
    venv.create(replay.venv, with_pip=True, clear=True)
    for kind, argument in parse(DOCKERFILE.read_text()).steps:
        if kind == "ENV":
            name, value = argument  # type: ignore[misc]
            replay.env[name] = replay.rooted(value)
        elif kind == "COPY":
            sources, dest = argument  # type: ignore[misc]
            replay.copy(sources, dest)
        else:
            replay.run(str(argument))
    return replay


def test_the_replayed_image_runs_the_installed_package_and_accepts_its_content(image: Replay) -> None:
    assert not image.path("/src").exists(), "the image drops the source after installing it"
    content, locales = image.env["CONTENT_DIR"], image.env["LOCALES_DIR"]
    assert Path(content, "bot.yaml").is_file() and Path(locales, "en", "LC_MESSAGES", "messages.po").is_file()
    workdir, env = image.path("/app"), image.clean_env()

    where = subprocess.run(
        [image.python, "-c", "import bot, bot.app, bot.webhook; print(bot.__file__)"],
        cwd=workdir, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert where.returncode == 0, where.stderr
    assert str(image.venv) in where.stdout and str(PROJECT_ROOT) not in where.stdout, "must import the installed bot"

    check = subprocess.run(
        [image.python, "-m", "bot", "check", content], cwd=workdir, env=env, capture_output=True, text=True
    )
    assert check.returncode == 0, check.stdout + check.stderr


async def test_the_replayed_image_cmd_serves_healthz_and_passes_its_healthcheck(image: Replay) -> None:
    dockerfile = parse(DOCKERFILE.read_text())
    assert dockerfile.cmd[:3] == ["python", "-m", "bot"]  # what BotProcess runs, with the venv's python
    workdir = image.path("/app")
    async with Emulator() as emu:
        port = free_port()
        env = {**bot_env(emu, port, Path(image.env["DATA_DIR"])), **image.clean_env()}
        env.update(PORT=str(port), HOST="127.0.0.1")
        env.pop("PYTHONPATH")
        bot = BotProcess(env, python=image.python, cwd=workdir)
        try:
            await bot.start()  # `python -m bot` from the venv in webhook mode; waits for /healthz 200
            status, body = await bot.health()
            assert status == 200 and body["db"] is True
            healthcheck = [image.python, *dockerfile.healthcheck[1:]]
            probe = await asyncio.create_subprocess_exec(*healthcheck, env=env, cwd=workdir)
            assert await asyncio.wait_for(probe.wait(), 30) == 0, "the HEALTHCHECK command failed"
        finally:
            await bot.stop()
    assert bot.process is not None and bot.process.returncode == 0
