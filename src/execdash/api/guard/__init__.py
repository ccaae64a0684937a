"""Defences against hostile clients: security headers, body caps, login throttling, slow reads."""
