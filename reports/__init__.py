"""SHOW: tables, JSON, and (later) HTML, packs, OSCAL, SARIF and JUnit."""
