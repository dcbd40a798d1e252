"""The Self-assessment room: a service's team against the framework (issue 16)."""
