"""Contracts module: cross-module protocols and interfaces: metrics, widgets, payment gateways."""
