"""Rules, one module per kind of fact: each a function of the page (``loaders.page.structure.Page``)."""
