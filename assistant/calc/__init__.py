"""The rule engine: calculators read from rule files, their conditions and amounts."""
