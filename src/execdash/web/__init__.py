"""The dashboard web page: templates, static assets and page routes."""
