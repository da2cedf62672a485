"""Adapters: the database, Socket.IO, security, around the pure domain."""
