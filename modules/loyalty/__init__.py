"""Loyalty module: stamp and points loyalty programs with wallet integration."""
