"""Tests for mmlbook.datasets: the IDX parser, the shipped subset and the download path.

The download tests serve synthetic (small but valid) IDX files from a local
HTTP server on 127.0.0.1; nothing here touches the internet.
"""

from __future__ import annotations

import gzip
import hashlib
import http.server
import threading
from functools import partial

import numpy as np
import pytest

from mmlbook import datasets
from mmlbook.datasets import DownloadError, IDXFormatError, load_mnist, parse_idx


def idx_bytes(arr: np.ndarray, code: int = 0x08) -> bytes:
    header = bytes([0, 0, code, arr.ndim]) + b"".join(int(s).to_bytes(4, "big") for s in arr.shape)
    return header + arr.astype(arr.dtype.newbyteorder(">")).tobytes()


# ---------------------------------------------------------------- parse_idx

def test_parse_idx_roundtrip_uint8():
    arr = np.arange(24, dtype=np.uint8).reshape(2, 3, 4)
    out = parse_idx(idx_bytes(arr))
    assert out.dtype == np.uint8 and out.shape == (2, 3, 4)
    np.testing.assert_array_equal(out, arr)


@pytest.mark.parametrize("code,dtype", [(0x09, "i1"), (0x0B, "i2"), (0x0C, "i4"),
                                        (0x0D, "f4"), (0x0E, "f8")])
def test_parse_idx_other_types_big_endian(code, dtype):
    arr = (np.arange(6) - 3).astype(dtype).reshape(3, 2)
    out = parse_idx(idx_bytes(arr, code))
    assert out.dtype == np.dtype(dtype) and out.dtype.isnative
    np.testing.assert_array_equal(out, arr)


def test_parse_idx_bad_magic():
    data = idx_bytes(np.zeros(3, np.uint8))
    with pytest.raises(IDXFormatError, match="magic"):
        parse_idx(b"\x01" + data[1:])


def test_parse_idx_wrong_dtype_code():
    data = bytearray(idx_bytes(np.zeros(3, np.uint8)))
    data[2] = 0x0A
    with pytest.raises(IDXFormatError, match="dtype code 0x0A"):
        parse_idx(bytes(data))


def test_parse_idx_truncated_data():
    data = idx_bytes(np.zeros((2, 5), np.uint8))
    with pytest.raises(IDXFormatError, match="truncated.*needs 10 data bytes, got 9"):
        parse_idx(data[:-1])


def test_parse_idx_extra_bytes_size_mismatch():
    data = idx_bytes(np.zeros(4, np.uint8))
    with pytest.raises(IDXFormatError, match="size mismatch"):
        parse_idx(data + b"\x00")


@pytest.mark.parametrize("data", [b"", b"\x00\x00", b"\x00\x00\x08\x03\x00\x00\x00\x02"])
def test_parse_idx_truncated_header(data):
    with pytest.raises(IDXFormatError, match="truncated"):
        parse_idx(data)


def test_parse_idx_zero_dimensions():
    with pytest.raises(IDXFormatError, match="0 dimensions"):
        parse_idx(b"\x00\x00\x08\x00")


def test_parse_idx_is_value_error_and_rejects_non_bytes():
    assert issubclass(IDXFormatError, ValueError)
    with pytest.raises(TypeError, match="data must be bytes"):
        parse_idx("not bytes")


# ---------------------------------------------------------------- shipped subset

@pytest.mark.parametrize("split", ["train", "test"])
def test_subset_shapes_and_dtypes(split):
    images, labels = load_mnist(split, n=2000, download=False)
    assert images.shape == (2000, 28, 28) and images.dtype == np.uint8
    assert labels.shape == (2000,) and labels.dtype == np.uint8
    assert set(np.unique(labels)) == set(range(10))
    assert images.max() == 255 and images.min() == 0


def test_subset_known_first_labels():
    # The first labels of MNIST are well known: 5 0 4 1 9 2 1 3 1 4 (train), 7 2 1 0 4 1 4 9 5 9 (test).
    _, train = load_mnist("train", n=10)
    _, test = load_mnist("test", n=10)
    assert train.tolist() == [5, 0, 4, 1, 9, 2, 1, 3, 1, 4]
    assert test.tolist() == [7, 2, 1, 0, 4, 1, 4, 9, 5, 9]


def test_subset_first_images_look_like_their_digits():
    images, labels = load_mnist(n=10)
    # A "1" uses less ink than a "0" or an "8"-like digit; first image (a 5) is centred.
    ink = images.reshape(10, -1).astype(float).sum(axis=1)
    ones = ink[labels == 1]
    zero = ink[labels == 0]
    assert ones.max() < zero.min()
    rows, cols = np.nonzero(images[0])
    assert 8 < rows.mean() < 20 and 8 < cols.mean() < 20


def test_subset_prefix_consistent_and_no_cache_used(tmp_path, monkeypatch):
    monkeypatch.setenv("MMLBOOK_OFFLINE", "1")
    a, la = load_mnist(n=7, cache_dir=tmp_path)
    b, lb = load_mnist(n=2000, cache_dir=tmp_path)
    np.testing.assert_array_equal(a, b[:7])
    np.testing.assert_array_equal(la, lb[:7])
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("kwargs,match", [
    ({"split": "validation"}, "split"),
    ({"n": 0}, "n must be >= 1"),
    ({"n": 2.5}, "n must be an integer"),
    ({"n": 60001}, "n must be <= 60000"),
    ({"split": "test", "n": 10001}, "n must be <= 10000"),
])
def test_load_mnist_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        load_mnist(**kwargs)


# ---------------------------------------------------------------- offline / cache

def test_offline_error_names_folder_and_files(tmp_path, monkeypatch):
    monkeypatch.setenv("MMLBOOK_OFFLINE", "1")
    with pytest.raises(FileNotFoundError) as info:
        load_mnist(cache_dir=tmp_path)
    msg = str(info.value)
    assert str(tmp_path / "mnist") in msg
    assert "train-images-idx3-ubyte.gz" in msg and "train-labels-idx1-ubyte.gz" in msg
    assert not (tmp_path / "mnist").exists()


def test_download_false_error_names_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("MMLBOOK_OFFLINE", raising=False)
    monkeypatch.setenv("MMLBOOK_DATA", str(tmp_path))
    with pytest.raises(FileNotFoundError, match="download=False") as info:
        load_mnist("test", n=5000, download=False)
    assert str(tmp_path / "mnist") in str(info.value)
    assert "t10k-images-idx3-ubyte.gz" in str(info.value)


def test_cache_dir_resolution(tmp_path, monkeypatch):
    monkeypatch.setenv("MMLBOOK_DATA", str(tmp_path / "env"))
    assert datasets.mnist_cache_dir() == tmp_path / "env" / "mnist"
    assert datasets.mnist_cache_dir(tmp_path / "arg") == tmp_path / "arg" / "mnist"
    monkeypatch.delenv("MMLBOOK_DATA")
    import platformdirs
    assert datasets.mnist_cache_dir() == (
        __import__("pathlib").Path(platformdirs.user_cache_dir("mmlbook")) / "mnist")


# ---------------------------------------------------------------- download via a local server

N_FAKE = 2500  # more than the shipped subset, so the full-file path is taken
RNG = np.random.default_rng(0)
FAKE = {
    "train-images-idx3-ubyte": idx_bytes(RNG.integers(0, 256, (N_FAKE, 28, 28), dtype=np.uint8)),
    "train-labels-idx1-ubyte": idx_bytes(RNG.integers(0, 10, N_FAKE, dtype=np.uint8)),
}
FAKE_SHA = {name: hashlib.sha256(data).hexdigest() for name, data in FAKE.items()}


class _Handler(http.server.BaseHTTPRequestHandler):
    files: dict[str, bytes] = {}
    hits: list[str] = []

    def do_GET(self):  # noqa: N802 (http.server's naming)
        self.hits.append(self.path)
        body = self.files.get(self.path.lstrip("/"))
        if body is None:
            self.send_response(404)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):  # keep test output quiet
        pass


@pytest.fixture
def server(monkeypatch):
    """A local HTTP server; set ``server.files[path] = bytes`` to serve something."""
    handler = type("Handler", (_Handler,), {"files": {}, "hits": []})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}/"
    monkeypatch.setattr(datasets, "MNIST_MIRRORS", [base + "a/", base + "b/"])
    monkeypatch.setattr(datasets, "MNIST_SHA256", {**datasets.MNIST_SHA256, **FAKE_SHA})
    monkeypatch.delenv("MMLBOOK_OFFLINE", raising=False)
    handler.base = base
    try:
        yield handler
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


def serve_valid(server, mirror="a"):
    for name, data in FAKE.items():
        server.files[f"{mirror}/{name}.gz"] = gzip.compress(data, mtime=0)


def test_download_valid_files(tmp_path, server):
    serve_valid(server)
    images, labels = load_mnist(n=N_FAKE, cache_dir=tmp_path)
    np.testing.assert_array_equal(images, parse_idx(FAKE["train-images-idx3-ubyte"]))
    np.testing.assert_array_equal(labels, parse_idx(FAKE["train-labels-idx1-ubyte"]))
    files = sorted(p.name for p in (tmp_path / "mnist").iterdir())
    assert files == ["train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"]
    # Second call reads the cache: no new requests.
    before = len(server.hits)
    again, _ = load_mnist(n=2100, cache_dir=tmp_path)
    np.testing.assert_array_equal(again, images[:2100])
    assert len(server.hits) == before


def test_download_falls_back_to_second_mirror(tmp_path, server):
    serve_valid(server, mirror="b")
    images, _ = load_mnist(cache_dir=tmp_path)
    assert images.shape == (N_FAKE, 28, 28)
    assert any(h.startswith("/a/") for h in server.hits)


def test_download_wrong_checksum_leaves_nothing(tmp_path, server):
    serve_valid(server, mirror="a")
    serve_valid(server, mirror="b")
    wrong = "0" * 64
    datasets.MNIST_SHA256["train-images-idx3-ubyte"] = wrong  # the fixture's patched copy
    with pytest.raises(DownloadError) as info:
        load_mnist(cache_dir=tmp_path)
    msg = str(info.value)
    assert "train-images-idx3-ubyte" in msg
    assert f"expected {wrong}" in msg and f"got {FAKE_SHA['train-images-idx3-ubyte']}" in msg
    assert list((tmp_path / "mnist").iterdir()) == []


def test_download_truncated_file_leaves_nothing(tmp_path, server):
    for mirror in ("a", "b"):
        serve_valid(server, mirror)
        full = server.files[f"{mirror}/train-images-idx3-ubyte.gz"]
        server.files[f"{mirror}/train-images-idx3-ubyte.gz"] = full[: len(full) // 2]
    with pytest.raises(DownloadError, match="train-images-idx3-ubyte"):
        load_mnist(cache_dir=tmp_path)
    assert list((tmp_path / "mnist").iterdir()) == []


def test_download_not_found_on_any_mirror(tmp_path, server):
    with pytest.raises(DownloadError, match="404") as info:
        load_mnist(cache_dir=tmp_path)
    assert "/a/train-images-idx3-ubyte.gz" in str(info.value)
    assert "/b/train-images-idx3-ubyte.gz" in str(info.value)
    assert list((tmp_path / "mnist").iterdir()) == []


def test_corrupt_cached_file_is_reported(tmp_path, server):
    folder = tmp_path / "mnist"
    folder.mkdir()
    (folder / "train-images-idx3-ubyte.gz").write_bytes(gzip.compress(b"\x00\x00\x08\x01junk"))
    with pytest.raises(DownloadError, match="corrupt.*expected"):
        load_mnist(cache_dir=tmp_path)


def test_uncompressed_cache_file_accepted(tmp_path, server):
    folder = tmp_path / "mnist"
    folder.mkdir()
    for name, data in FAKE.items():
        (folder / name).write_bytes(data)
    images, labels = load_mnist(cache_dir=tmp_path, download=False)
    assert images.shape == (N_FAKE, 28, 28) and labels.shape == (N_FAKE,)
    assert server.hits == []


def test_download_offline_env_blocks_server(tmp_path, server, monkeypatch):
    serve_valid(server)
    monkeypatch.setenv("MMLBOOK_OFFLINE", "1")
    with pytest.raises(FileNotFoundError, match="MMLBOOK_OFFLINE"):
        load_mnist(cache_dir=tmp_path)
    assert server.hits == []


def test_real_full_files_if_cached(monkeypatch):
    """If a developer has the real files cached, they match the shipped subset."""
    monkeypatch.setenv("MMLBOOK_OFFLINE", "1")
    try:
        images, labels = load_mnist("test")
    except FileNotFoundError:
        pytest.skip("full MNIST not in the cache")
    small, small_labels = load_mnist("test", n=2000)
    np.testing.assert_array_equal(images[:2000], small)
    np.testing.assert_array_equal(labels[:2000], small_labels)


# --- in the browser (JupyterLite, Pyodide) ------------------------------------------------


def test_in_the_browser_the_shipped_subset_loads(monkeypatch):
    monkeypatch.setattr(datasets.sys, "platform", "emscripten")
    images, labels = datasets.load_mnist("test", n=datasets.SUBSET_SIZE)
    assert images.shape == (datasets.SUBSET_SIZE, 28, 28) and labels.shape == (datasets.SUBSET_SIZE,)


@pytest.mark.parametrize("n", [None, datasets.SUBSET_SIZE + 1])
def test_in_the_browser_more_says_a_local_install_is_needed(monkeypatch, tmp_path, n):
    monkeypatch.setattr(datasets.sys, "platform", "emscripten")
    with pytest.raises(datasets.FullDataUnavailableError, match="needs a local install") as error:
        datasets.load_mnist("train", n=n, cache_dir=tmp_path)
    assert f"n={datasets.SUBSET_SIZE}" in str(error.value)
    assert not any(tmp_path.iterdir()), "nothing may be written in the browser"
