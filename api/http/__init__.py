"""The HTTP service: a Litestar app over the same engine and stores as the command line."""
