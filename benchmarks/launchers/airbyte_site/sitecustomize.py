"""Point Airbyte's source-freshdesk at the simulator, in its own process only.

The connector accepts only `domain: *.freshdesk.com` and always uses https on port 443. Python
imports `sitecustomize` at start-up from PYTHONPATH, so without touching the package:
- `socket.getaddrinfo` answers BENCH_HOST (any port) with 127.0.0.1:BENCH_PORT;
- every `requests.Session` verifies against BENCH_CERT, the simulator's self-signed certificate
  (the CDK calls `Session.send` directly, which ignores REQUESTS_CA_BUNDLE).
"""

import os
import socket

_HOST = os.environ.get("BENCH_HOST")

if _HOST:
    _PORT = int(os.environ["BENCH_PORT"])
    _CERT = os.environ["BENCH_CERT"]
    _getaddrinfo = socket.getaddrinfo

    def _resolve_to_simulator(host, port, *args, **kwargs):
        if host == _HOST:
            return _getaddrinfo("127.0.0.1", _PORT, *args, **kwargs)
        return _getaddrinfo(host, port, *args, **kwargs)

    socket.getaddrinfo = _resolve_to_simulator

    import requests

    _session_init = requests.Session.__init__

    def _session_trusting_simulator(self, *args, **kwargs):
        _session_init(self, *args, **kwargs)
        self.verify = _CERT

    requests.Session.__init__ = _session_trusting_simulator
