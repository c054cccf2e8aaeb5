"""Tests of the Messaging module."""
