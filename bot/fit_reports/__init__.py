"""Files a person reads after a fit: the Markdown report and its charts."""
