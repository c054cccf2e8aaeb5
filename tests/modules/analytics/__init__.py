"""Tests of the Analytics & Reporting module."""
