"""What the demo, the scripts and the end-to-end tests share, importing nothing from `tests`.

`meltano_settings.py`: a setting of `--about` as a Meltano setting definition.
`streams.py`: each stream's keys, from `--discover`. `destinations.py`: this project's
Meltano, its installed plugins, and reading back what landed in DuckDB.
"""
