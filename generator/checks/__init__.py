"""The validate stage: rules by family -> Diagnostics; the codes table; the taxonomy."""
