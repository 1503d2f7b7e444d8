"""Importing legacy newsletters (PDF, Markdown, text, HTML) as draft items."""
