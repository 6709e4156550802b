"""Pagination of every API list: keyset cursors, so page 1,000 is as fast as page 1 and
rows written meanwhile neither repeat nor go missing."""

from __future__ import annotations

from rest_framework.pagination import CursorPagination


class CursorPage(CursorPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    ordering = "-id"
