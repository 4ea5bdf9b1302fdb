"""One JSON schema per stream, named after the stream."""
