"""Thermal tickets: layout (configuration), ESC/POS bytes, transports, the job queue and a decoder.

Pure rules live in layout.py, status.py, jobs.py and config.py; python-escpos, sockets, files and
SQL live in render.py, transports.py, decoder.py, store.py and service.py.
"""
