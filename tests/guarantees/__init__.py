"""The promises a user relies on, each proven against the simulator over real HTTP."""
