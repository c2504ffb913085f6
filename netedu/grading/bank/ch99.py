"""Chapter 99: a demo bank used only by the registry's own doctests."""
