"""Ketenaanpak and valpreventie monitoring per gemeente."""
