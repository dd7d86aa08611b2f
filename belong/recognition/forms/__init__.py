"""Forms of recognition, one module per part."""
