"""One module per export format; see `interchange.formats`."""
