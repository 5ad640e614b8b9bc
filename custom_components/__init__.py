"""Namespace for the custom integrations of this repository (lets tests import them first)."""
