"""Core module: dashboard, settings and profile: the basic operation of every platform."""
