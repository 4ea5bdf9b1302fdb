"""Tickets and what hangs off them: the updated-at window, archived history, extras, activities.

The ticket list is the one list Freshdesk caps (300 pages) and archives from, so its stream
needs more than one module: the window it walks (`window`, `paginator`), the check that reads
a second's run whole (`runs`), the memory of the second it stopped in (`boundary_memory`), and
the probe that finds archived tickets by id (`archive`, `probe_queue`), a helper the stream
owns.
"""
