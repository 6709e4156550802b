from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularAPIView

from helpdesk import views
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
    path("customers/", include("customers.urls")),
    path("reports/", include("reports.urls")),
    path("dev/mailbox/", dev_mailbox, name="dev-mailbox"),
    path("dev/mailbox/<int:pk>/html/", dev_mailbox_html, name="dev-mailbox-html"),
    path("admin/", admin.site.urls),
    path("anymail/", include("anymail.urls")),
    path("api/v1/loyalty/", include("loyalty.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
]

handler500 = "helpdesk.views.server_error"

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
