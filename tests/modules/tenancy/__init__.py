"""Tests of the tenancy module: admin API and admin pages."""
