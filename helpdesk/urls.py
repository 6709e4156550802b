from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularAPIView

from helpcenter.views import public as helpcenter_views
from helpdesk import views
from helpdesk.api_docs import RedocView, SwaggerView
from helpdesk.health import healthz
from messaging.views_dev import dev_mailbox, dev_mailbox_html

admin.site.site_header = admin.site.site_title = settings.SHOP_NAME
admin.site.index_title = _("Settings")

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("brand.css", views.brand_css, name="brand-css"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("tickets/", include("tickets.urls")),
    path("s/", include("surveys.urls")),
    path("loyalty/", include("loyalty.urls")),
    path("outreach/", include("outreach.urls")),
    path("customers/", include("customers.urls")),
    path("reports/", include("reports.urls")),
    path("help/", include("helpcenter.urls")),
    path("sitemap.xml", helpcenter_views.sitemap, name="sitemap"),
    path("dev/mailbox/", dev_mailbox, name="dev-mailbox"),
    path("dev/mailbox/<int:pk>/html/", dev_mailbox_html, name="dev-mailbox-html"),
    path("admin/", admin.site.urls),
    path("anymail/", include("anymail.urls")),
    path("settings/", include("core.urls")),
    path("settings/webhooks/", include("webhooks.urls")),
    path("api/v1/loyalty/", include("loyalty.api.urls")),
    path("api/v1/outreach/", include("outreach.api.urls")),
    path("api/v1/tickets/", include("tickets.api.urls")),
    path("api/v1/surveys/", include("surveys.api.urls")),
    path("api/v1/helpcenter/", include("helpcenter.api.urls")),
    path("api/v1/", include("customers.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # API documentation from drf-spectacular-sidecar's files (static, never a CDN).
    path("api/docs/", SwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/redoc/", RedocView.as_view(url_name="api-schema"), name="api-redoc"),
]

handler404 = "helpdesk.views.not_found"
handler500 = "helpdesk.views.server_error"

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
