"""Hot reload: load the content again and serve it only when it has no errors; the last good content stays otherwise."""

from __future__ import annotations

import asyncio
import logging
import weakref
from dataclasses import dataclass

from bot.bootstrap import load_live
from bot.content.diagnostics import Severity
from bot.content.loader import UNREVIEWED
from bot.services import LiveContent, Services

log = logging.getLogger(__name__)
MAX_PROBLEMS = 20  # errors logged and kept per refused reload; `check` lists them all
_locks: weakref.WeakKeyDictionary[LiveContent, asyncio.Lock] = weakref.WeakKeyDictionary()


@dataclass(frozen=True, slots=True)
class ReloadResult:
    """What a reload did: the new version on success, the error count and first error on refusal."""

    ok: bool
    version: str = ""
    nodes: int = 0
    errors: int = 0
    first_error: str = ""
    warnings: int = 0
    problems: tuple[str, ...] = ()  # the first errors (refused) or warnings (loaded), as `check` prints them

    @property
    def summary(self) -> str:
        """One line for logs and the command line."""
        if self.ok:
            return f"version {self.version}, {self.nodes} nodes"
        return f"{self.errors} error(s); first: {self.first_error}"


async def reload_content(services: Services) -> ReloadResult:
    """Load the content again (off the event loop); swap it in only when it loads without errors."""
    settings = services.settings
    lock = _locks.setdefault(services.live, asyncio.Lock())
    async with lock:  # one reload at a time per process; a burst of SIGHUPs does not pile up loads
        try:
            live, result = await asyncio.to_thread(load_live, settings.content_dir, settings.locales_dir)
        except Exception as exc:  # noqa: BLE001 - any failure keeps the last good content serving
            log.error("reload refused: %s", exc)
            return ReloadResult(ok=False, errors=1, first_error=str(exc), problems=(str(exc),))
        if live is None:
            errors = [str(d) for d in result.report.errors] or ["unknown error"]  # the cause first
        else:  # like check: a broken interface text is an error too
            errors = [str(p) for p in live.catalogs.problems if p.severity is Severity.ERROR]
        if errors:
            for line in errors[:MAX_PROBLEMS]:
                log.error("reload refused: %s", line)
            serving = services.live.current.content.version
            log.error("reload refused: %d error(s); still serving version %s", len(errors), serving)
            return ReloadResult(
                ok=False,
                errors=len(errors),
                first_error=errors[0],
                warnings=len(result.report.warnings),
                problems=tuple(errors[:MAX_PROBLEMS]),
            )
        assert live is not None
        services.live.replace(live)
    warnings = [str(d) for d in result.report.warnings if d.code != UNREVIEWED]  # declared on purpose: not news
    # Interface catalog entries that were dropped (broken placeholders ...) or are missing: the reload goes on
    # with the fallback language for them, but translators editing a catalog in the preview want to know.
    warnings += [str(problem) for problem in live.catalogs.problems]  # warnings only: errors were refused above
    outcome = ReloadResult(
        ok=True,
        version=live.content.version,
        nodes=len(live.content.nodes),
        warnings=len(warnings),
        problems=tuple(warnings[:MAX_PROBLEMS]),
    )
    log.info("content reloaded: %s", outcome.summary)
    return outcome
