"""HTML pages of community intelligence for the community's managers."""
