"""PROVE: in-toto statements in DSSE envelopes, the ledger, storage backends and the SQL index."""
