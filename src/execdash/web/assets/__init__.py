"""Fingerprinted static assets: content-hashed file names served immutable, imports rewritten."""
