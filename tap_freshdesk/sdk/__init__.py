"""Where the tap meets the Singer SDK: its private names, its log noise, inputs checked first.

Each module here exists because the SDK, left alone, would break a promise the tap makes: a
traceback for a user's mistake, a secret in a message, a log line per request.
"""
