"""The data the chapters use.

:func:`load_mnist` returns the MNIST handwritten digits (LeCun, Cortes and
Burges; Creative Commons Attribution-Share Alike 3.0), parsed from the original
IDX format by :func:`parse_idx`.

The package ships the first 2,000 images and labels of each split in
``mmlbook/data/mnist/``, so ``load_mnist(n=k)`` with ``k <= 2000`` needs no
network and no cache. Anything larger reads the full files from a cache folder,
downloading them once (from a list of mirrors, checked against pinned SHA-256
checksums of the *uncompressed* files) if they are not there yet.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import http.client
import math
import os
import sys
import tempfile
import urllib.error
import urllib.request
import zlib
from importlib import resources
from pathlib import Path

import numpy as np

from mmlbook._validation import check_positive_int

__all__ = [
    "DownloadError",
    "FullDataUnavailableError",
    "IDXFormatError",
    "MNIST_MIRRORS",
    "MNIST_SHA256",
    "SUBSET_SIZE",
    "load_mnist",
    "mnist_cache_dir",
    "parse_idx",
]

#: Number of images per split shipped inside the package.
SUBSET_SIZE = 2000

#: Base URLs tried in order; each must serve ``<name>.gz``.
MNIST_MIRRORS: list[str] = [
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
]

#: SHA-256 of the *uncompressed* IDX files. The ``.gz`` wrappers differ between
#: mirrors, so the checksum is taken after decompressing.
MNIST_SHA256: dict[str, str] = {
    "train-images-idx3-ubyte": "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
    "train-labels-idx1-ubyte": "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
    "t10k-images-idx3-ubyte": "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
    "t10k-labels-idx1-ubyte": "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
}

_SPLITS = {
    "train": ("train-images-idx3-ubyte", "train-labels-idx1-ubyte", 60000),
    "test": ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte", 10000),
}

# IDX type codes (third byte of the magic number) and their big-endian dtypes.
_IDX_DTYPES = {
    0x08: np.dtype("u1"),
    0x09: np.dtype("i1"),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}

_TIMEOUT = 60.0  # seconds per HTTP request


class IDXFormatError(ValueError):
    """The bytes given to :func:`parse_idx` are not a well-formed IDX file."""


class DownloadError(OSError):
    """Every mirror failed to provide a file with the expected checksum."""


class FullDataUnavailableError(RuntimeError):
    """The full data set was asked for where only the shipped subset can be had:
    in the browser (JupyterLite, Pyodide), with no file system to cache it in
    and no sockets to download it with."""


def _in_browser() -> bool:
    """True under Pyodide (JupyterLite), whose Python runs in the browser."""
    return sys.platform == "emscripten"


def parse_idx(data: bytes) -> np.ndarray:
    r"""Parse the bytes of an IDX file into an array.

    The IDX format (used by MNIST) is a 4-byte magic number -- two zero bytes,
    a type code and the number of dimensions :math:`d` -- followed by
    :math:`d` big-endian 32-bit sizes and then the values in C order,
    big-endian.

    Parameters
    ----------
    data : bytes
        The whole (uncompressed) file.

    Returns
    -------
    numpy.ndarray
        Array of the shape given in the header, in native byte order. Type
        codes ``0x08`` (uint8), ``0x09`` (int8), ``0x0B`` (int16), ``0x0C``
        (int32), ``0x0D`` (float32) and ``0x0E`` (float64) are understood.

    Raises
    ------
    IDXFormatError
        A subclass of ``ValueError``: the magic number does not start with two
        zero bytes, the type code is unknown, the header is cut short, or the
        number of data bytes does not match the sizes in the header (too few:
        truncated; too many: size mismatch).

    Notes
    -----
    The number of data bytes must be exactly

    .. math:: \text{itemsize} \times \prod_{i=1}^{d} n_i .

    Examples
    --------
    >>> header = bytes([0, 0, 0x08, 1]) + (3).to_bytes(4, "big")
    >>> parse_idx(header + bytes([7, 8, 9]))
    array([7, 8, 9], dtype=uint8)
    """
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError(f"data must be bytes, got {type(data).__name__}")
    data = bytes(data)
    if len(data) < 4:
        raise IDXFormatError(f"IDX data truncated: need a 4-byte magic number, got {len(data)} bytes")
    if data[0] != 0 or data[1] != 0:
        raise IDXFormatError(
            f"bad IDX magic number {data[:4].hex()}: the first two bytes must be zero"
        )
    code, ndim = data[2], data[3]
    if code not in _IDX_DTYPES:
        known = ", ".join(f"0x{c:02X}" for c in _IDX_DTYPES)
        raise IDXFormatError(f"unknown IDX dtype code 0x{code:02X}; expected one of {known}")
    if ndim == 0:
        raise IDXFormatError("IDX header declares 0 dimensions; expected at least 1")
    header_len = 4 + 4 * ndim
    if len(data) < header_len:
        raise IDXFormatError(
            f"IDX header truncated: {ndim} dimensions need {header_len} header bytes, "
            f"got {len(data)}"
        )
    shape = tuple(int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim))
    dtype = _IDX_DTYPES[code]
    expected = dtype.itemsize * math.prod(shape)  # exact: a hostile header cannot wrap it around
    got = len(data) - header_len
    if got < expected:
        raise IDXFormatError(
            f"IDX data truncated: header shape {shape} needs {expected} data bytes, got {got}"
        )
    if got > expected:
        raise IDXFormatError(
            f"IDX size mismatch: header shape {shape} needs {expected} data bytes, "
            f"got {got} ({got - expected} extra)"
        )
    arr = np.frombuffer(data, dtype=dtype, offset=header_len).reshape(shape)
    return arr.astype(dtype.newbyteorder("="), copy=True)


def mnist_cache_dir(cache_dir: str | os.PathLike | None = None) -> Path:
    """Return the folder that holds (or will hold) the full MNIST files.

    The data root is, in order of preference, ``cache_dir``, the environment
    variable ``MMLBOOK_DATA``, or the per-user cache folder
    ``platformdirs.user_cache_dir("mmlbook")``; the MNIST files live in its
    ``mnist`` subfolder.
    """
    if cache_dir is not None:
        if not isinstance(cache_dir, (str, os.PathLike)):
            raise TypeError(f"cache_dir must be a str or path, got {type(cache_dir).__name__}")
        root = Path(cache_dir)
    elif os.environ.get("MMLBOOK_DATA"):
        root = Path(os.environ["MMLBOOK_DATA"])
    else:
        import platformdirs

        root = Path(platformdirs.user_cache_dir("mmlbook"))
    return root.expanduser() / "mnist"


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _decompress(raw: bytes, what: str) -> bytes:
    try:
        return gzip.decompress(raw)
    except (OSError, EOFError, zlib.error) as exc:
        raise IDXFormatError(f"{what} is not a complete gzip file: {exc}") from None


def _read_cached(folder: Path, name: str) -> bytes | None:
    """Return the verified uncompressed contents of ``name`` in ``folder``, or None if absent."""
    for candidate in (folder / f"{name}.gz", folder / name):
        if candidate.is_file():
            raw = candidate.read_bytes()
            try:
                data = _decompress(raw, str(candidate)) if candidate.suffix == ".gz" else raw
            except IDXFormatError as exc:
                raise DownloadError(f"cached file {candidate} is corrupt: {exc}; delete it and try again") from None
            got = _sha256(data)
            if got != MNIST_SHA256[name]:
                raise DownloadError(
                    f"cached file {candidate} is corrupt: SHA-256 of the uncompressed {name} "
                    f"expected {MNIST_SHA256[name]}, got {got}; delete it and try again"
                )
            return data
    return None


def _download(folder: Path, name: str) -> bytes:
    """Download ``name``.gz from the mirrors into ``folder`` atomically; return the IDX bytes."""
    expected = MNIST_SHA256[name]
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _cache_error(folder, exc) from None
    failures = []
    for base in MNIST_MIRRORS:
        url = base.rstrip("/") + "/" + name + ".gz"
        try:
            fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".part", dir=folder)
        except OSError as exc:
            raise _cache_error(folder, exc) from None
        try:
            with os.fdopen(fd, "wb") as out:
                with urllib.request.urlopen(url, timeout=_TIMEOUT) as response:
                    while chunk := response.read(1 << 20):
                        out.write(chunk)
            data = _decompress(Path(tmp).read_bytes(), f"{name}.gz from {url}")
            got = _sha256(data)
            if got != expected:
                failures.append(
                    f"{url}: checksum mismatch for {name} (SHA-256 of the uncompressed file) "
                    f"expected {expected}, got {got}"
                )
                continue
            try:
                os.replace(tmp, folder / f"{name}.gz")
            except OSError as exc:
                raise _cache_error(folder, exc) from None
            return data
        except DownloadError:
            raise
        except (urllib.error.URLError, OSError, http.client.HTTPException, IDXFormatError, ValueError) as exc:
            # Any transfer error (refused, cut short, garbage, a bad status line): try the next mirror.
            failures.append(f"{url}: {type(exc).__name__}: {exc}")
        finally:
            if os.path.exists(tmp):
                with contextlib.suppress(OSError):
                    os.remove(tmp)
    raise DownloadError(
        f"could not download {name}.gz from any mirror (nothing was saved in {folder}):\n  "
        + "\n  ".join(failures)
    )


def _cache_error(folder: Path, exc: OSError) -> DownloadError:
    """A cache folder that cannot be created or written, said with the way to move it."""
    return DownloadError(
        f"cannot write the MNIST cache folder {folder} ({type(exc).__name__}: {exc.strerror or exc}); "
        f"pass cache_dir= or set the environment variable MMLBOOK_DATA to a folder you can write"
    )


def _load_full(split: str, cache_dir, download: bool) -> tuple[bytes, bytes]:
    folder = mnist_cache_dir(cache_dir)
    names = _SPLITS[split][:2]
    offline = os.environ.get("MMLBOOK_OFFLINE", "") == "1"
    out = []
    for name in names:
        data = _read_cached(folder, name)
        if data is None:
            if not download or offline:
                why = "download=False" if not download else "MMLBOOK_OFFLINE=1"
                wanted = ", ".join(f"{n}.gz" for n in names)
                raise FileNotFoundError(
                    f"MNIST file {name} is not in the cache folder {folder} and downloading is "
                    f"off ({why}). Put {wanted} (gzip, from an MNIST mirror such as "
                    f"{MNIST_MIRRORS[0]}) in {folder} by hand, or set MMLBOOK_DATA to a folder "
                    f"whose 'mnist' subfolder holds them."
                )
            data = _download(folder, name)
        out.append(data)
    return out[0], out[1]


def _load_subset(split: str) -> tuple[bytes, bytes]:
    base = resources.files("mmlbook") / "data" / "mnist"
    out = []
    for name in _SPLITS[split][:2]:
        stem, kind = name.rsplit("-idx", 1)
        fname = f"{stem}-{SUBSET_SIZE}-idx{kind}.gz"
        out.append(_decompress(base.joinpath(fname).read_bytes(), fname))
    return out[0], out[1]


def load_mnist(split: str = "train", *, n: int | None = None,
               cache_dir: str | os.PathLike | None = None,
               download: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """Load MNIST handwritten digits and their labels.

    Parameters
    ----------
    split : {"train", "test"}
        The 60,000 training or the 10,000 test images.
    n : int, optional
        Return the first ``n`` images of the split. With ``n <= 2000`` the
        subset shipped inside the package is used (no network, no cache).
        ``None`` (the default) means the whole split, read from the cache.
    cache_dir : str or path, optional
        Data root; the files live in its ``mnist`` subfolder. Defaults to the
        environment variable ``MMLBOOK_DATA``, else
        ``platformdirs.user_cache_dir("mmlbook")``.
    download : bool
        Whether to download missing full files. Downloading is also off when
        the environment variable ``MMLBOOK_OFFLINE`` is ``1``.

    Returns
    -------
    images : numpy.ndarray of uint8, shape (N, 28, 28)
        Grey levels 0 (background) to 255 (ink).
    labels : numpy.ndarray of uint8, shape (N,)
        The digit shown in each image, 0 to 9.

    Raises
    ------
    ValueError
        If ``split`` is not ``"train"`` or ``"test"``, or ``n`` is not an
        integer between 1 and the size of the split.
    FileNotFoundError
        If a full file is needed, missing from the cache and downloading is
        off; the message names the folder to fill and the files expected.
    FullDataUnavailableError
        If more than the shipped subset is asked for in the browser
        (JupyterLite), where the full files can be neither downloaded nor cached.
    DownloadError
        If no mirror provides a file whose uncompressed SHA-256 matches
        :data:`MNIST_SHA256`; the message gives the file and both checksums.
        Nothing is left in the cache folder.

    Notes
    -----
    Downloads go to a temporary file in the cache folder, are decompressed and
    checked, and only then renamed into place (``os.replace``), so the cache
    never holds a partial or corrupt file.

    Examples
    --------
    >>> images, labels = load_mnist(n=5)
    >>> images.shape, images.dtype, labels.tolist()
    ((5, 28, 28), dtype('uint8'), [5, 0, 4, 1, 9])
    """
    if not isinstance(split, str) or split not in _SPLITS:
        raise ValueError(f"split must be 'train' or 'test', got {split!r}")
    total = _SPLITS[split][2]
    if n is not None:
        n = check_positive_int(n, "n")
        if n > total:
            raise ValueError(f"n must be <= {total} for split {split!r}, got {n}")
    if n is not None and n <= SUBSET_SIZE:
        img_bytes, lab_bytes = _load_subset(split)
    elif _in_browser():
        asked = f"n={n}" if n is not None else "the whole split"
        raise FullDataUnavailableError(
            f"load_mnist({split!r}, {asked}) needs the full MNIST, which needs a local install: "
            f"in the browser only the first {SUBSET_SIZE} images of each split ship with mmlbook. "
            f"Use load_mnist({split!r}, n={SUBSET_SIZE}) (or fewer) here, or run this notebook on "
            "your computer (pip install mmlbook[notebooks]) or in Binder or Colab.")
    else:
        img_bytes, lab_bytes = _load_full(split, cache_dir, download)
    images, labels = parse_idx(img_bytes), parse_idx(lab_bytes)
    if images.dtype != np.uint8 or images.ndim != 3 or images.shape[1:] != (28, 28):
        raise IDXFormatError(f"MNIST images must be uint8 of shape (N, 28, 28), got "
                             f"{images.dtype} {images.shape}")
    if labels.dtype != np.uint8 or labels.shape != images.shape[:1]:
        raise IDXFormatError(f"MNIST labels must be uint8 of shape ({images.shape[0]},), got "
                             f"{labels.dtype} {labels.shape}")
    if n is not None:
        images, labels = images[:n].copy(), labels[:n].copy()
    return images, labels
