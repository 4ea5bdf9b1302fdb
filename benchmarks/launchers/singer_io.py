"""Run singer-io's tap-freshdesk 1.0.1 against `BENCH_BASE_URL` instead of *.freshdesk.com.

The package builds `https://{domain}.freshdesk.com/api/v2` in `Client.__init__`; wrapping that
constructor to reset `base_url` reaches the simulator without editing the installed package.
Run with the peer's own interpreter: `python singer_io.py --config C --catalog K`.
"""

import os
import sys

from tap_freshdesk import client, main

_original_init = client.Client.__init__


def _init_with_base_url(self, config):
    _original_init(self, config)
    self.base_url = os.environ["BENCH_BASE_URL"]


client.Client.__init__ = _init_with_base_url

if __name__ == "__main__":
    sys.exit(main())
