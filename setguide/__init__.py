"""setguide: who to contact, how, and through which forum, under the SET child
exploitation information sharing protocol."""

__version__ = "0.1.0"
