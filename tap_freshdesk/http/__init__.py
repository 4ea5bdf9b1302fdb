"""Talking to Freshdesk: the endpoint, retries, the account's rate limit, deadlines, errors.

Nothing here knows a stream: a request goes out, an answer comes back checked (a JSON body read
whole, an error named), or the sync stops with one line. Streams send through
`streams.transport.Transport`, which uses these.
"""
