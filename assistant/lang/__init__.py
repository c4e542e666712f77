"""Reading language: numerals, money amounts, safe text and JSON, tokens (tokenizer, specificity, BM25), places, clauses and their cues, the English bridge. Depends on nothing above it."""
