"""Imported by the process pool's server: loads the models once, before workers fork from it."""
from veille.nlp.models import preload_default_models

preload_default_models()
