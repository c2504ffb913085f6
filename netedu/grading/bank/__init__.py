"""Exercise banks, one module per chapter (``ch02`` holds ids ``02.*``)."""
