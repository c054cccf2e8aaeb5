"""Tests of the catalog module."""
