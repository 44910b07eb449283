"""One module per ``ruralsim`` subcommand (see :mod:`ruralsim.cli`)."""
