"""rxadj's shells: the command line, settings and (later) the HTTP service."""
