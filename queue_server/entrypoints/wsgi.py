"""The WSGI app gunicorn serves (`antrean serve`)."""

import gc

from .app import create_app

app = create_app()
# The app's own objects (SQLAlchemy, Flask, Socket.IO, the hall) live as long as the process: out
# of the collector's sight, a full collection scans only what requests made since. Measured:
# full collections of 55-94 ms stalled ~1 % of ticket requests (issue p99 85-165 ms) before.
gc.freeze()
