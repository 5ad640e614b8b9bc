"""Tests for the XiVO integration."""
