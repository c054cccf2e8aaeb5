"""Tests of the Payments module."""
