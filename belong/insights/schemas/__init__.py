"""API schemas of community intelligence, one module per part."""
