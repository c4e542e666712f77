"""The web app's commands of the `policy-assistant` CLI (`serve`, `hash-password`), registered
through the `policy_assistant.commands` entry points so that the CLI never imports this package."""

from __future__ import annotations

import click

from assistant.cli import _progress, friendly


@click.command()
@click.option("--host", default=None, help="Address to listen on (POLICY_UI_HOST).")
@click.option("--port", default=None, type=click.IntRange(1, 65535), help="Port (POLICY_UI_PORT).")
@friendly
def serve(host: str | None, port: int | None) -> None:
    """Start the web app (builds the index first if needed)."""
    from .launch import launch  # gradio loads only when the app starts

    launch(host=host, port=port, progress=_progress())


@click.command("hash-password")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True,
              help="The password (asked for when omitted).")
@friendly
def hash_password(password: str) -> None:
    """Print a hashed password for POLICY_UI_AUTH=user:<hash> (no plain text in the environment)."""
    from .security import hash_password as hashed

    click.echo(hashed(password))
