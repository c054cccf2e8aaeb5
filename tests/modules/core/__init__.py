"""Tests of the core module."""
