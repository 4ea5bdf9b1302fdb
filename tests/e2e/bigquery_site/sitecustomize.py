"""target-bigquery without its waits for BigQuery's consistency, against the emulator.

z3-target-bigquery 0.7.2 sleeps 5 s after creating each table (`BigQueryTable.create_table`,
"for the sake of GRPC's default stream"), and 2.5 s after creating the staging table of an
upsert or an overwrite: a real BigQuery may not yet take rows into a table that new. The
emulator has the table before it answers, so there the sleeps only cost time, three of the four
minutes of the end-to-end test's first run (a table per stream). Python imports this module at
start where the loader's launcher puts this folder on `PYTHONPATH`
(`tests/e2e/pipeline.without_consistency_waits`); it acts in the loader alone, on its `core`
module's clock alone, and changes nothing the loader sends.
"""

import os
import sys
import time
import types

if os.path.basename(sys.argv[0]) == "target-bigquery":
    from target_bigquery import core

    core.time = types.SimpleNamespace(**{**vars(time), "sleep": lambda seconds: None})
