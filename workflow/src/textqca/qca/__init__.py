"""QCA core: truth tables, minimization, parameters of fit (tables only, no text imports)."""
