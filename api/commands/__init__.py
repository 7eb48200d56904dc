"""Sub-commands of the ``rxadj`` command line, one module per area."""
