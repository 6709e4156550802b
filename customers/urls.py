from django.urls import path

from customers import views

app_name = "customers"
urlpatterns = [
    path("", views.customer_list, name="list"),
    path("new/", views.customer_create, name="create"),
    path("<int:pk>/", views.customer_detail, name="detail"),
    path("<int:pk>/edit/", views.customer_edit, name="edit"),
    path("<int:pk>/notes/", views.customer_note_add, name="note_add"),
    path("<int:pk>/identities/", views.customer_identity_add, name="identity_add"),
    path("<int:pk>/consents/", views.customer_consent_record, name="consent_record"),
    path("<int:pk>/merge/", views.customer_merge, name="merge"),
]
