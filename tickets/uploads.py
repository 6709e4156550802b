"""Files attached in a browser form, checked against the upload limits that agents'
replies and customers' contact forms share."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from messaging.types import FileData, content_type_clean, filename_clean


def uploaded_files(request: HttpRequest) -> tuple[list[FileData], list[str]]:
    """The files attached to a form (the composer, the contact form) within the upload
    limits, or why they cannot go: then none go (a browser cannot keep a file field
    filled, so they are attached again)."""
    uploads = request.FILES.getlist("attachments")
    errors = []
    if len(uploads) > (most := settings.REPLY_MAX_ATTACHMENTS):
        errors.append(_("Attach at most %(count)d files.") % {"count": most})
    for upload in uploads:
        if upload.size > settings.REPLY_MAX_ATTACHMENT_BYTES:
            errors.append(_("%(name)s is larger than %(limit)s.") % {
                "name": upload.name, "limit": filesizeformat(settings.REPLY_MAX_ATTACHMENT_BYTES),
            })  # fmt: skip
    if sum(upload.size for upload in uploads) > settings.REPLY_MAX_TOTAL_BYTES:
        errors.append(_("All files together may be at most %(limit)s.")
                      % {"limit": filesizeformat(settings.REPLY_MAX_TOTAL_BYTES)})  # fmt: skip
    if errors:
        return [], [*errors, _("Please attach the files again.")]
    return [
        FileData(filename=filename_clean(upload.name or "", fallback=f"attachment-{index}"),
                 content_type=content_type_clean(upload.content_type or ""),
                 content=upload.read())
        for index, upload in enumerate(uploads, start=1)
    ], []  # fmt: skip
