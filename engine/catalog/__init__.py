"""The catalog: every plan, formulary, network, price list, edit set and member file, loaded."""
