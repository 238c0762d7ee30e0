"""Clean: turn a Page into an Article (HTML through trafilatura, text dumps through our cleaner)."""
