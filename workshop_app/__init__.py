"""Common Ground: an offline desktop application for running co-design workshops."""

__version__ = "0.1.0"
APP_NAME = "Common Ground"
