"""View-models: the console's state and actions, drivable by tests without a window."""
