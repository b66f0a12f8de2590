"""The data files a person writes, read as strict YAML with line numbers and known keys.

yamlio       Load a YAML file into a pydantic model, reporting errors as `file:line: field:
             problem (fix)`.
schema_keys  Which keys a schema allows at a place in a file, for the fix of an unknown key.
"""

__all__ = ["schema_keys", "yamlio"]
