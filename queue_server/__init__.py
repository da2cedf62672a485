"""Antrean MPP queue server: the hall's queues, kept durable and pushed live."""
