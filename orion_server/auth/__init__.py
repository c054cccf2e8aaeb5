"""Passwords, server-side sessions and CSRF tokens."""
