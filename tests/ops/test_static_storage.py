"""The production static files' compressor: the same files as WhiteNoise's own, each
distinct content compressed once (collectstatic keeps most files twice, under their own
and their hashed names)."""

from concurrent.futures import ThreadPoolExecutor

from whitenoise.compress import Compressor

from config.storage import OnceCompressor

STYLE = b"body { color: #222; margin: 0 auto; }\n" * 400
SCRIPT = b"export function add(a, b) { return a + b; }\n" * 300
FILES = {
    "site.css": STYLE,
    "site.0123456789ab.css": STYLE,
    "map.js": SCRIPT,
    "map.ba9876543210.js": SCRIPT,
    "other.css": STYLE + b"p { color: red; }\n",
    "tiny.txt": b"x",  # compression would not make it smaller: left alone
}


class Counted(Compressor):
    """WhiteNoise's compressor, noting each content it compresses."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.compressed = []

    def compress_brotli(self, data):
        self.compressed.append(("br", data))
        return super().compress_brotli(data)

    def compress_gzip(self, data):
        self.compressed.append(("gz", data))
        return super().compress_gzip(data)


class CountedOnce(OnceCompressor, Counted):
    pass


def compress_all(compressor, folder):
    folder.mkdir()
    for name, data in FILES.items():
        (folder / name).write_bytes(data)
    with ThreadPoolExecutor(max_workers=4) as pool:  # as collectstatic does
        list(pool.map(compressor.compress, [str(folder / name) for name in FILES]))
    return {path.name: path.read_bytes() for path in folder.iterdir()}


def test_the_same_files_as_whitenoise_with_each_content_compressed_once(tmp_path):
    plain, once = Counted(quiet=True), CountedOnce(quiet=True)
    expected = compress_all(plain, tmp_path / "plain")
    written = compress_all(once, tmp_path / "once")

    assert written == expected
    assert {"site.0123456789ab.css.br", "map.js.gz", "other.css.br"} <= set(written)
    assert "tiny.txt.br" not in written
    assert len(plain.compressed) == 11  # five contents twice (brotli, gzip), tiny.txt once
    assert sorted(once.compressed) == sorted(set(plain.compressed))
    assert len(once.compressed) == 7  # three contents twice, tiny.txt once


class Refusing(Compressor):
    def compress_brotli(self, data):
        raise MemoryError("no room")


class RefusingOnce(OnceCompressor, Refusing):
    pass


def test_a_failure_to_compress_fails_every_file_of_that_content(tmp_path):
    compressor = RefusingOnce(quiet=True)
    failures = []
    for name in ("site.css", "site.0123456789ab.css"):
        (tmp_path / name).write_bytes(STYLE)
        try:
            compressor.compress(str(tmp_path / name))
        except MemoryError as error:
            failures.append((name, str(error)))
    assert failures == [("site.css", "no room"), ("site.0123456789ab.css", "no room")]
    assert not list(tmp_path.glob("*.br"))
