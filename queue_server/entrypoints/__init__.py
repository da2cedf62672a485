"""Entry points: the Flask app and its blueprints, Socket.IO namespaces, the CLI."""
