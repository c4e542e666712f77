"""Running the service: the store (SQLite or PostgreSQL), the answer log and ratings, question files and metrics, a local PostgreSQL cluster."""
