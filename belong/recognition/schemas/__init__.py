"""API schemas of recognition, one module per part."""
