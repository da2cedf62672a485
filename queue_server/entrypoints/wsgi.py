"""The WSGI app gunicorn serves (`antrean serve`)."""

from .app import create_app

app = create_app()
