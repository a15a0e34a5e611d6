"""The version of zhiping, read by the build and by what records or prints it."""

__version__ = "0.1.0"
