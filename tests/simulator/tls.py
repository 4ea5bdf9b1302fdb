"""A throwaway certificate authority, so the simulator serves HTTPS as Freshdesk is reached.

Clients trust the authority's certificate through `REQUESTS_CA_BUNDLE`; the server presents a
certificate it issued for the loopback address (trustme, a dev dependency).
"""

from __future__ import annotations

import typing as t
from pathlib import Path

import trustme


class TlsFiles(t.NamedTuple):
    """The authority's certificate (for clients) and the server's certificate and key."""

    ca: Path
    cert: Path
    key: Path


def throwaway_tls(folder: Path, host: str = "127.0.0.1") -> TlsFiles:
    """Write a new authority and a certificate it issued for `host` into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    authority = trustme.CA()
    issued = authority.issue_cert(host)
    files = TlsFiles(folder / "ca.pem", folder / "cert.pem", folder / "key.pem")
    authority.cert_pem.write_to_path(str(files.ca))
    issued.cert_chain_pems[0].write_to_path(str(files.cert))
    issued.private_key_pem.write_to_path(str(files.key))
    return files
