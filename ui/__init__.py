"""The web app: handlers (tested without a server), the Gradio layout, the ASGI server with the JSON API, login and rate limits."""
