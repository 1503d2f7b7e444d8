"""The JSON API under /api/: read endpoints for everyone, token-authenticated writes for partners."""
