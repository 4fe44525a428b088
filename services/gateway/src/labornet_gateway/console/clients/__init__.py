"""One small client module per backend: the only place the console names API paths."""
