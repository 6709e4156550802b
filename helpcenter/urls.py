from django.urls import path

from helpcenter.views import public, staff

app_name = "helpcenter"
urlpatterns = [
    path("", public.root, name="root"),
    path("staff/", staff.article_list, name="staff_list"),
    path("staff/new/", staff.article_new, name="staff_new"),
    path("staff/preview/", staff.article_preview, name="staff_preview"),
    path("staff/images/", staff.image_upload, name="staff_image_upload"),
    path("staff/insights/", staff.insights, name="staff_insights"),
    path("staff/feedback/<int:pk>/ticket/", staff.feedback_ticket, name="staff_feedback_ticket"),
    path("staff/tickets/<int:ticket_pk>/links/", staff.composer_links, name="staff_composer_links"),
    path("staff/<int:pk>/<str:lang>/", staff.article_edit, name="staff_edit"),
    path("staff/<int:pk>/<str:lang>/publish/", staff.article_publish, name="staff_publish"),
    path("staff/<int:pk>/<str:lang>/unpublish/", staff.article_unpublish, name="staff_unpublish"),
    path("images/<uuid:public_id>/", public.image, name="image"),
    path("<str:lang>/", public.home, name="home"),
    path("<str:lang>/c/<slug:slug>/", public.category, name="category"),
    path("<str:lang>/s/<slug:slug>/", public.section, name="section"),
    path("<str:lang>/a/<slug:slug>/", public.article, name="article"),
    path("<str:lang>/a/<int:pk>/vote/", public.vote, name="vote"),
    path("<str:lang>/search/", public.search, name="search"),
    path("<str:lang>/suggest/", public.suggest, name="suggest"),
    path("<str:lang>/contact/", public.contact, name="contact"),
    path("<str:lang>/contact/sent/", public.contact_sent, name="contact_sent"),
    path("<str:lang>/service/", public.service_promise, name="service_promise"),
    path("<str:lang>/returns/", public.returns_policy, name="returns"),
]
