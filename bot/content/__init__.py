"""The content engine: YAML trees per locale loaded into an immutable, indexed model."""
