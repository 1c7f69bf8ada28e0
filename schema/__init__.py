"""Schema files (labels.json, JSON Schemas) shipped as package data of ``sayso.schema``."""
