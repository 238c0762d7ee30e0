"""Quality evaluation of veille's stages against gold files; run with `python -m eval`."""
