"""Talking to Freshdesk: the endpoint, one session, retries, the account's rate limit, deadlines.

Nothing here knows a stream: a request goes out, an answer comes back checked (a JSON body
read whole, an error named), or the sync stops with one line. Streams reach it through
`http.transport.Transport`.
"""
