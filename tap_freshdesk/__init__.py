"""Singer tap for the Freshdesk API v2."""
