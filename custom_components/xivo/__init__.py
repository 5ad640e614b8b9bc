"""The XiVO integration."""
