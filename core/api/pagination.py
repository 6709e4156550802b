"""Pagination of every API list: keyset cursors, so page 1,000 is as fast as page 1 and
rows written meanwhile neither repeat nor go missing."""

from __future__ import annotations

from django.utils.dateparse import parse_datetime
from rest_framework.exceptions import NotFound
from rest_framework.pagination import CursorPagination


class CursorPage(CursorPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    ordering = "-id"
    # Fields a list may be ordered by, and how a cursor's position on each is read.
    POSITION_TYPES = {"id": int, "created_at": "datetime", "last_activity_at": "datetime"}

    def decode_cursor(self, request):
        cursor = super().decode_cursor(request)
        if cursor is None or cursor.position is None:
            return cursor
        field = (self.ordering if isinstance(self.ordering, str) else self.ordering[0]).lstrip("-")
        kind = self.POSITION_TYPES.get(field)
        try:
            if kind is int:
                if not (0 <= int(cursor.position) < 2**63):
                    raise ValueError
            elif kind == "datetime" and parse_datetime(cursor.position) is None:
                raise ValueError
        except (TypeError, ValueError) as error:
            # A cursor made by hand (or for another ordering) never reaches the database.
            raise NotFound(self.invalid_cursor_message) from error
        return cursor
