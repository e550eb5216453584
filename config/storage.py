"""The static files' storage in production: WhiteNoise's hashed and compressed files,
each distinct content compressed once.

collectstatic keeps every file under its own name and under its hashed name, and most
such pairs hold the same bytes; WhiteNoise compresses both, and brotli at its best level
is most of what collectstatic costs. Here a content already compressed in the same
collection is written again from memory: the same files on disk, byte for byte.
"""

import hashlib
import threading
from concurrent.futures import Future

from whitenoise.compress import Compressor
from whitenoise.storage import CompressedManifestStaticFilesStorage


class OnceCompressor(Compressor):
    """WhiteNoise's compressor, remembering what it made by the content's digest: a
    content met again, in any thread of collectstatic's pool, is compressed only once (a
    thread meeting one still being compressed waits for it)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._lock = threading.Lock()
        self._made = {}

    def compress_brotli(self, data):
        return self._once("br", data, super().compress_brotli)

    def compress_gzip(self, data):
        return self._once("gz", data, super().compress_gzip)

    def _once(self, encoding, data, compress):
        key = (encoding, hashlib.sha256(data).digest())
        with self._lock:
            made = self._made.get(key)
            first = made is None
            if first:
                made = self._made[key] = Future()
        if first:
            try:
                made.set_result(compress(data))
            except BaseException as error:
                made.set_exception(error)
        return made.result()


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    def create_compressor(self, **kwargs):
        return OnceCompressor(**kwargs)
