"""The quick-start demo: the main job end to end against the local Freshdesk simulator."""
