from django.urls import path

from tickets.views import approvals, assist, inbox, new, notifications, ticket

app_name = "tickets"
urlpatterns = [
    path("", inbox.inbox, name="list"),
    path("news/", inbox.inbox_news, name="news"),
    path("new/", new.ticket_new, name="new"),
    path("approvals/", approvals.approvals, name="approvals"),
    path(
        "approvals/<slug:kind>/<str:pk>/<str:decision>/",
        approvals.approval_decide,
        name="approval_decide",
    ),
    path("notifications/", notifications.notifications, name="notifications"),
    path(
        "notifications/<int:pk>/open/",
        notifications.notification_open,
        name="notification_open",
    ),
    path(
        "notifications/read/", notifications.notifications_read_all, name="notifications_read_all"
    ),
    path("bulk/", inbox.bulk, name="bulk"),
    path("views/", inbox.saved_view_save, name="view_save"),
    path("views/<int:pk>/delete/", inbox.saved_view_delete, name="view_delete"),
    path("<int:pk>/", ticket.ticket_detail, name="detail"),
    path("<int:pk>/timeline/", ticket.ticket_timeline_view, name="timeline"),
    path("<int:pk>/reply/", ticket.ticket_reply_view, name="reply"),
    path("<int:pk>/macro/", ticket.ticket_macro, name="macro"),
    path("<int:pk>/assist/", assist.ticket_assist, name="assist"),
    path("<int:pk>/promises/", assist.ticket_promise_add, name="promise_add"),
    path("<int:pk>/update/", ticket.ticket_update_view, name="update"),
    path("<int:pk>/merge/", ticket.ticket_merge_view, name="merge"),
    path("<int:pk>/presence/", ticket.ticket_presence, name="presence"),
    path("<int:pk>/next/", ticket.ticket_next, name="next"),
    path("attachments/<int:pk>/", ticket.attachment_download, name="attachment"),
    path("messages/<int:pk>/html/", ticket.message_html, name="message_html"),
    path("<int:pk>/emails/<int:email_pk>/retry/", ticket.email_retry, name="email-retry"),
]
