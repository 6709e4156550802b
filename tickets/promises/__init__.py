"""Promises agents make to customers: found in reply drafts (``detect``), recorded,
kept or broken (``services``), read for pages and dashboards (``selectors``)."""
