"""The version: the one source, which pyproject.toml reads for the metadata."""
__version__ = "0.1.0"
