"""Cut the network off inside every Python that starts with this folder on its path.

``python -m tests.learner.offline`` puts this folder first on ``PYTHONPATH``
when no network namespace can be had (macOS, or Linux without unprivileged
user namespaces), so that the learner tests' own process, every kernel they
start in the learner environment and every ``pip`` those run import it at
start-up. From then on, a socket may connect or send only to the loopback
addresses (127.0.0.0/8, ``::1``) or a Unix socket; anything else fails with
``ENETUNREACH``, as it does in a network namespace with only the loopback
interface, and host names other than this machine's own do not resolve.

This covers Python's ``socket`` module, which ``urllib``, ``http.client``,
``requests``, ``pip`` and ``asyncio`` all go through; a C library opening its
own sockets, or a program started with ``!curl``, is not covered (the
namespace, where it works, covers those too). ``socket.mmlbook_network_guard``
is set so that a test can check that the guard is in place without sending
a packet anywhere.

Python imports only the first ``sitecustomize`` on its path, so any other one
(a distribution's, for example) is run after the guard is installed.
"""

from __future__ import annotations

import errno
import ipaddress
import os
import socket
import sys

_MESSAGE = ("Network is unreachable: {} (the learner tests cut the network off in-process: "
            "tests/learner/nonet/sitecustomize.py allows only 127.0.0.1 and ::1)")
_LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"}


def _loopback(host) -> bool:
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    host = str(host).split("%", 1)[0]
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host.lower() in _LOCAL_NAMES
    mapped = getattr(address, "ipv4_mapped", None)
    return (mapped or address).is_loopback


def _allowed(sock, address) -> bool:
    if sock.family not in (socket.AF_INET, socket.AF_INET6):
        return True  # Unix sockets, netlink: not the network
    return _loopback(address[0])


def _refuse(address):
    return OSError(errno.ENETUNREACH, _MESSAGE.format(address))


_connect = socket.socket.connect
_connect_ex = socket.socket.connect_ex
_sendto = socket.socket.sendto
_sendmsg = getattr(socket.socket, "sendmsg", None)
_getaddrinfo = socket.getaddrinfo
_gethostbyname = socket.gethostbyname
_gethostbyname_ex = socket.gethostbyname_ex


def connect(self, address):
    if not _allowed(self, address):
        raise _refuse(address)
    return _connect(self, address)


def connect_ex(self, address):
    if not _allowed(self, address):
        return errno.ENETUNREACH
    return _connect_ex(self, address)


def sendto(self, data, *args):
    address = args[-1]
    if not _allowed(self, address):
        raise _refuse(address)
    return _sendto(self, data, *args)


def sendmsg(self, buffers, ancdata=(), flags=0, address=None):
    if address is not None and not _allowed(self, address):
        raise _refuse(address)
    if address is None:
        return _sendmsg(self, buffers, ancdata, flags)
    return _sendmsg(self, buffers, ancdata, flags, address)


def _resolvable(host) -> bool:
    if host is None or host in ("", b""):
        return True
    name = host.decode("ascii", "replace") if isinstance(host, bytes) else str(host)
    try:
        ipaddress.ip_address(name.split("%", 1)[0])
        return True  # a numeric address: no lookup; connect() decides
    except ValueError:
        pass
    return name.lower() in _LOCAL_NAMES or name == socket.gethostname()


def _no_such_host(host):
    return socket.gaierror(socket.EAI_NONAME,
                           f"Name or service not known: {host} (network cut off in-process)")


def getaddrinfo(host, *args, **kwargs):
    if not _resolvable(host):
        raise _no_such_host(host)
    return _getaddrinfo(host, *args, **kwargs)


def gethostbyname(host):
    if not _resolvable(host):
        raise _no_such_host(host)
    return _gethostbyname(host)


def gethostbyname_ex(host):
    if not _resolvable(host):
        raise _no_such_host(host)
    return _gethostbyname_ex(host)


def install() -> None:
    socket.socket.connect = connect
    socket.socket.connect_ex = connect_ex
    socket.socket.sendto = sendto
    if _sendmsg is not None:
        socket.socket.sendmsg = sendmsg
    socket.getaddrinfo = getaddrinfo
    socket.gethostbyname = gethostbyname
    socket.gethostbyname_ex = gethostbyname_ex
    socket.mmlbook_network_guard = True


def _run_the_next_sitecustomize() -> None:
    import importlib.machinery
    import importlib.util

    here = os.path.dirname(os.path.abspath(__file__))
    rest = [p for p in sys.path if os.path.abspath(p or os.curdir) != here]
    spec = importlib.machinery.PathFinder.find_spec("sitecustomize", rest)
    if spec is None or spec.loader is None or spec.origin == os.path.abspath(__file__):
        return
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except Exception as error:  # noqa: BLE001 - as site.py does: report and go on
        print(f"Error in the next sitecustomize ({spec.origin}): {error!r}", file=sys.stderr)


install()
_run_the_next_sitecustomize()
