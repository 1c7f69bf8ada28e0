"""One module per ``sayso`` command: ``HELP``, ``configure(parser)``, ``main(args, out, err)``."""
