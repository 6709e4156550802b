"""The web contact form channel: the help center's "Contact us" page posts here."""
