"""From a question to articles: article references and documents named, the place hierarchy, the scope judgement, and `PolicyRetriever`."""
