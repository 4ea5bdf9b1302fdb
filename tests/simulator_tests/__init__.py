"""The Freshdesk simulator's own tests, over real HTTP, one module per concern."""
