"""The gateway's local audit journal: an append-only file, fsynced before an answer leaves.

One journal per gateway process, under ``<data_dir>/audit``, held with an exclusive lock (two
processes sharing a data dir refuse to start). Appends from concurrent requests are written
together and synced once (group commit). A line cut short by a crash was never acknowledged
(its answer had not left) and is dropped when the journal is opened again. Once every line
is in the trail and the file has grown, it is emptied; ``journal.base`` keeps the numbering.
"""

from __future__ import annotations

import asyncio
import fcntl
import logging
import os
import threading
import uuid
from pathlib import Path

from labornet_gateway.domain.audit_chain import AuditEntry
from labornet_gateway.domain.audit_journal import JournalLine, decode, encode

log = logging.getLogger(__name__)
COMPACT_ABOVE_BYTES = 4 * 1024 * 1024
READ_CHUNK_BYTES = 1024 * 1024  # a drain batch reads at most this much (an entry is < 4 kB)


class JournalInUse(RuntimeError):
    """Another process holds this journal: give each gateway process its own data dir."""


def _write_atomically(path: Path, text: str) -> None:
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding="ascii") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


class AuditJournal:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.path = directory / "journal.ndjson"
        self.journal_id = ""
        self.written_through = 0  # n of the last durable line
        self.healthy = True  # the last append reached the disk
        self._fd = -1
        self._io = threading.Lock()
        self._pending: list[tuple[AuditEntry, asyncio.Future[None]]] = []
        self._flusher: asyncio.Task[None] | None = None

    def open(self) -> None:
        """Blocking: create or reopen the journal, lock it, drop a torn last line."""
        self.directory.mkdir(parents=True, exist_ok=True)
        id_path = self.directory / "journal.id"
        if not id_path.exists():
            _write_atomically(id_path, str(uuid.uuid4()))
        self.journal_id = id_path.read_text(encoding="ascii").strip()
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise JournalInUse(f"audit journal {self.path} is held by another process") from None
        self._fd = fd
        self.written_through = self._repair()

    def _base(self) -> int:
        base = self.directory / "journal.base"
        return int(base.read_text(encoding="ascii")) if base.exists() else 0

    def _repair(self) -> int:
        data = os.pread(self._fd, os.fstat(self._fd).st_size, 0)
        complete = data.rfind(b"\n") + 1
        if complete < len(data):
            log.warning("audit journal: dropping a torn last line (%d bytes)", len(data) - complete)
            os.ftruncate(self._fd, complete)
            os.fsync(self._fd)
        lines = data[:complete].splitlines()
        return decode(lines[-1]).n if lines else self._base()

    async def append(self, entry: AuditEntry) -> None:
        """Returns once ``entry`` is on disk; raises OSError if it could not be written."""
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._pending.append((entry, future))
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.create_task(self._flush())
        await future

    async def _flush(self) -> None:
        while self._pending:
            batch, self._pending = self._pending, []
            try:
                await asyncio.to_thread(self._write, [entry for entry, _ in batch])
            except Exception as exc:  # the disk refused: every waiter learns it
                self.healthy = False
                log.error("audit journal write failed: %s", exc)
                for _, future in batch:
                    if not future.done():
                        future.set_exception(OSError(str(exc)))
                continue
            self.healthy = True
            for _, future in batch:
                if not future.done():
                    future.set_result(None)

    def _write(self, entries: list[AuditEntry]) -> None:
        with self._io:
            first = self.written_through + 1
            data = b"".join(encode(JournalLine(first + i, e)) for i, e in enumerate(entries))
            size = os.fstat(self._fd).st_size
            try:
                view = memoryview(data)
                while view:
                    view = view[os.write(self._fd, view) :]
                os.fsync(self._fd)
            except OSError:
                try:
                    os.ftruncate(self._fd, size)  # no half-written batch is left behind
                except OSError:
                    pass
                raise
            self.written_through = first + len(entries) - 1

    def read_from(self, offset: int, limit: int) -> tuple[list[JournalLine], int]:
        """Blocking: up to ``limit`` complete lines from byte ``offset``, and the offset after them."""
        with self._io:
            end = os.fstat(self._fd).st_size
            data = os.pread(self._fd, min(READ_CHUNK_BYTES, end - offset), offset) if end > offset else b""
        lines: list[JournalLine] = []
        consumed = 0
        for raw in data.splitlines(keepends=True):
            if len(lines) >= limit or not raw.endswith(b"\n"):
                break
            lines.append(decode(raw))
            consumed += len(raw)
        return lines, offset + consumed

    def compact(self, *, drained_through: int) -> bool:
        """Blocking: empty a large journal whose every line is in the trail. True if emptied."""
        with self._io:
            if drained_through < self.written_through:
                return False
            if os.fstat(self._fd).st_size < COMPACT_ABOVE_BYTES:
                return False
            _write_atomically(self.directory / "journal.base", str(self.written_through))
            os.ftruncate(self._fd, 0)
            os.fsync(self._fd)
            return True

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)  # releases the lock
            self._fd = -1
