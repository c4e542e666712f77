"""政策体检: every support an enterprise's description or profile can claim, and its Markdown/PDF reports."""
