"""The Gradio web app: a thin layer over `ui.handlers`, whose functions are tested without a server."""
