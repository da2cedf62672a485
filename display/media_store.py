"""The hall display's media folder on disk: list, add and remove the images and videos shown between calls.

An upload is trusted by neither its name nor its declared type: the extension must be one of
ours and the first bytes must match it, the name is made safe by werkzeug, the size is counted
while writing, and a file already there is never replaced (the link that publishes it fails).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from werkzeug.utils import secure_filename

from queue_server.domain.admin import EditRefused, FileTooLarge
from queue_server.domain.errors import NotFound
from queue_server.service_layer.queue import InvalidInput


def _jpeg(head: bytes) -> bool:
    return head.startswith(b"\xff\xd8\xff")


def _png(head: bytes) -> bool:
    return head.startswith(b"\x89PNG\r\n\x1a\n")


def _gif(head: bytes) -> bool:
    return head[:6] in (b"GIF87a", b"GIF89a")


def _webp(head: bytes) -> bool:
    return head[:4] == b"RIFF" and head[8:12] == b"WEBP"


def _mp4(head: bytes) -> bool:
    return head[4:8] == b"ftyp"


def _webm(head: bytes) -> bool:
    return head.startswith(b"\x1a\x45\xdf\xa3")


# What the displays show, by extension: the one listing for the screens and the admin page.
SHOWN = {".jpg": "image", ".jpeg": "image", ".png": "image", ".gif": "image", ".webp": "image", ".svg": "image",
         ".mp4": "video", ".webm": "video", ".ogv": "video"}
# What an admin may upload: the shown types whose first bytes we check (extension -> check).
UPLOADABLE = {".jpg": _jpeg, ".jpeg": _jpeg, ".png": _png, ".gif": _gif, ".webp": _webp, ".mp4": _mp4,
              ".webm": _webm}
DEFAULT_MAX_MB = 50
_CHUNK = 1 << 16


class MediaStore:
    """One local media folder (None: the hall has no media area configured)."""

    def __init__(self, folder: Path | None, max_bytes: int = DEFAULT_MAX_MB * 1024 * 1024) -> None:
        self.folder = folder
        self.max_bytes = max_bytes

    def too_large(self) -> FileTooLarge:
        """The refusal of an upload over the limit (also raised before reading a body that says it is)."""
        mb = self.max_bytes // (1024 * 1024)
        return FileTooLarge(f"Berkas terlalu besar (maksimal {mb} MB)", f"File too large ({mb} MB max)")

    def _folder(self) -> Path:
        if self.folder is None:
            raise EditRefused("Folder media layar belum diatur (Pengaturan → display → media_dir)",
                              "The displays' media folder is not set ([display] media_dir)")
        return self.folder

    def files(self) -> list[dict[str, Any]]:
        """The images and videos the displays show from this folder, by name: size in bytes and kind."""
        if self.folder is None or not self.folder.is_dir():
            return []
        return [{"name": p.name, "size": p.stat().st_size, "kind": SHOWN[p.suffix.lower()]}
                for p in sorted(self.folder.iterdir()) if p.is_file() and p.suffix.lower() in SHOWN]

    def add(self, filename: str, stream: IO[bytes]) -> dict[str, Any]:
        """Store an upload under its made-safe name; refused whole (nothing left on disk) when its
        name, type, content or size is wrong, or the name is taken."""
        name = _safe_name(filename)
        kind, looks_right = SHOWN[Path(name).suffix.lower()], UPLOADABLE[Path(name).suffix.lower()]
        folder = self._folder()
        if (folder / name).exists():
            raise EditRefused(f"Berkas {name} sudah ada; hapus dulu atau beri nama lain",
                              f"{name} already exists; remove it first or choose another name")
        folder.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=folder, prefix=".upload-", suffix=".part")
        try:
            size = self._copy(stream, fd, looks_right, name)
            try:
                os.link(temp, folder / name)  # fails if the name appeared meanwhile: never overwrites
            except FileExistsError:
                raise EditRefused(f"Berkas {name} sudah ada; hapus dulu atau beri nama lain",
                                  f"{name} already exists; remove it first or choose another name") from None
        finally:
            os.unlink(temp)
        return {"name": name, "size": size, "kind": kind}

    def _copy(self, stream: IO[bytes], fd: int, looks_right: Callable[[bytes], bool], name: str) -> int:
        """Write the upload into `fd`, checking its first bytes and its size as it goes; its size."""
        size = 0
        with os.fdopen(fd, "wb") as out:
            head = stream.read(_CHUNK)
            if not looks_right(head):
                raise InvalidInput(f"Isi berkas {name} tidak cocok dengan jenisnya",
                                   f"The content of {name} does not match its type")
            chunk = head
            while chunk:
                size += len(chunk)
                if size > self.max_bytes:
                    raise self.too_large()
                out.write(chunk)
                chunk = stream.read(_CHUNK)
        return size

    def remove(self, name: str) -> dict[str, Any]:
        """Delete one listed file (names outside the listing, e.g. with folders, are not found); what it was."""
        entry = next((f for f in self.files() if f["name"] == name), None)
        if entry is None:
            raise NotFound(f"Berkas media tidak ditemukan: {name}", f"Media file not found: {name}")
        (self._folder() / name).unlink()
        return entry


def _safe_name(filename: str) -> str:
    """The name to store an upload under, or InvalidInput: no folders, one of our extensions."""
    if not filename or len(filename) > 120 or "/" in filename or "\\" in filename or filename.startswith("."):
        raise InvalidInput("Nama berkas tidak sah (tanpa folder, tidak diawali titik, maksimal 120 karakter)",
                           "Invalid file name (no folders, not starting with a dot, 120 characters max)")
    name = secure_filename(filename)
    if Path(name).suffix.lower() not in UPLOADABLE or not Path(name).stem:
        allowed = ", ".join(ext[1:] for ext in UPLOADABLE)
        raise InvalidInput(f"Jenis berkas tidak diizinkan; hanya {allowed}", f"File type not allowed; only {allowed}")
    return name
