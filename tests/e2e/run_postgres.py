"""Run a private PostgreSQL server (the `pgserver` wheel) until this process's stdin closes.

Run by the Python of `.venv-pg` (`make e2e-install`): `python run_postgres.py DATA_DIR [DB…]`
creates the databases DB… and prints the server's URI on its first line,
`postgresql://postgres:@/postgres?host=<socket dir>`: the server listens on a Unix socket in
DATA_DIR only, no TCP port. When the test closes stdin (or dies), pgserver stops the server as
this process exits.
"""

from __future__ import annotations

import sys

import pgserver

if __name__ == "__main__":
    server = pgserver.get_server(sys.argv[1], cleanup_mode="stop")
    for database in sys.argv[2:]:
        server.psql(f'CREATE DATABASE "{database}";')
    print(server.get_uri(), flush=True)
    sys.stdin.read()
