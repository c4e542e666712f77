"""From files to the library: reading sources (.txt/.docx/.pdf/.html), article structure, metadata, the corpus and its add/remove/docs."""
