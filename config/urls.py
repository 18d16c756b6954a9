from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from accounts.views.language import language_switch
from accounts.views.signin import SignInView
from config.health import health

urlpatterns = [
    path("login/", SignInView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("health/", health, name="health"),
    path("language/", language_switch, name="language_switch"),
    path("", include("scorecards.urls")),
    path("", include("tracker.urls")),
    path("", include("accounts.urls")),
    path("api/", include("config.api_urls")),
    path("admin/", admin.site.urls),
]

handler404 = "config.errors.not_found"
handler500 = "config.errors.server_error"
