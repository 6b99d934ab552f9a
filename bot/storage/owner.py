"""The id under which a replica holds its inbox leases, kept across restarts of the same replica.

A replica restarted after a crash (systemd, Docker's restart policy, a Kubernetes container restart) comes back
with the same data directory. If it came back under a new random id, what it held when it died would wait for
its lease to lapse; under the same id it takes those updates back the moment it starts. The id is random (nothing
about the machine), kept in `<data dir>/inbox-owner`, and locked for as long as the process runs: a second
process on the same directory (two replicas sharing a volume) finds it locked and uses a fresh random id, so two
live processes never share one.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import re
import uuid
from pathlib import Path
from typing import IO

log = logging.getLogger(__name__)

FILE_NAME = "inbox-owner"
_VALID = re.compile(r"^[0-9a-f]{32}$")


class ReplicaOwner:
    """An owner id for this process, and the lock that keeps it this process's own."""

    def __init__(self, owner: str, lock: IO[str] | None) -> None:
        """`owner` is the id; `lock` the open, locked file (None when the id is a throwaway)."""
        self.owner = owner
        self._lock = lock

    @property
    def kept(self) -> bool:
        """Whether the id survives a restart (False: a throwaway id, the directory was taken or unwritable)."""
        return self._lock is not None

    def release(self) -> None:
        """Unlock the id (the process stopping; a kill releases it too)."""
        if self._lock is not None:
            with contextlib.suppress(OSError):
                self._lock.close()
            self._lock = None


def replica_owner(directory: Path) -> ReplicaOwner:
    """The id kept in `directory`, locked for this process; a fresh random id when another live process holds
    it or the directory cannot be written."""
    path = directory / FILE_NAME
    try:
        directory.mkdir(parents=True, exist_ok=True)
        handle = open(path, "a+", encoding="ascii")  # noqa: SIM115 - held open for the life of the process
    except OSError as exc:
        log.warning("cannot keep the inbox owner id in the data directory (%s); using a throwaway one", exc.strerror)
        return ReplicaOwner(uuid.uuid4().hex, None)
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        log.info("another process holds this data directory's inbox owner id; using a throwaway one")
        return ReplicaOwner(uuid.uuid4().hex, None)
    handle.seek(0)
    owner = handle.read().strip()
    if not _VALID.match(owner):
        owner = uuid.uuid4().hex
        handle.seek(0)
        handle.truncate()
        handle.write(owner)
        handle.flush()
        os.fsync(handle.fileno())
    return ReplicaOwner(owner, handle)
