"""Agent workspace views: the inbox (inbox.py) and the ticket page (ticket.py)."""
