"""Unit tests of the HA-independent xuc protocol client."""
