"""The pure domain: dataclasses, enums and rules. Standard library only."""
