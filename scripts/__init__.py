"""Project scripts; a package so tests can import what they generate."""
