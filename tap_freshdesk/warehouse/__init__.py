"""The analyst-facing BigQuery layer of the main job, beside the tap (the tap never imports it).

`meltano run tap-freshdesk freshdesk-tally target-bigquery bigquery-tables` (README, "The main
job"): `tally` passes the tap's messages through to the loader unchanged and writes down each
stream's SCHEMA and record count; `refresh`, after the loader, checks that every record landed
and merges what landed since its last run into one typed, deduplicated table per stream, built
from those schemas. `columns` and `statements` turn a stream's schema into columns and SQL.
"""
