"""Linked open data: the graph as RDF under stable IRIs, streamed dumps, the DCAT catalogue, SHACL
shapes and the SPARQL index. See docs/linked-data.md."""
