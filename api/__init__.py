"""The open API (/api/v1/): public reference data and published allocations for everyone, and per organisation
(with a token from the beheer) its own applications, decisions and SiSa reports. Read-only."""
