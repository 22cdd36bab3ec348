"""SiSa spending reports (verantwoording): table, checks, appendix PDF, national batch."""
