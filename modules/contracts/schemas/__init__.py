"""Contracts: schemas."""
