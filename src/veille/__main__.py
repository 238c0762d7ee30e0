"""Run the command line as `python -m veille`."""
from veille.cli import main

main()
