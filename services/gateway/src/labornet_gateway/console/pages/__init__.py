"""Console pages, one module per desk."""
