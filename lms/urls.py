"""Site URLs: our pages first, then allauth, the Wagtail admin, and Wagtail's page tree."""

from django.conf import settings
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from lms import admin_reports
from lms.accounts import views as account_views
from lms.home import hubs
from lms.home import views as home_views
from lms.media_serving import serve_media

# Resets go through the unit leader (the help page), never by e-mail; there is no e-mail
# address to add or confirm, nor a code to sign in by.
no_email_urls = [
    path("password/reset/done/", RedirectView.as_view(pattern_name="account_reset_password")),
    re_path(r"^password/reset/key/", RedirectView.as_view(pattern_name="account_reset_password")),
    path("password/set/", RedirectView.as_view(pattern_name="account_change_password")),
    path("email/", account_views.email_not_used),
    re_path(r"^confirm-email/", account_views.email_not_used),
    re_path(r"^(?:login|reauthenticate)/code/", account_views.email_not_used),
]

urlpatterns = [
    path("", home_views.home, name="home"),
    path("practice/", hubs.practice_hub, name="practice_hub"),
    path("me/", hubs.me_hub, name="me"),
    path("preferences/text-size/", home_views.text_size, name="text_size"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("unit/cadres/", account_views.unit_cadres, name="unit_cadres"),
    path(
        "unit/cadres/<int:pk>/reset-password/",
        account_views.cadre_reset_password,
        name="cadre_reset_password",
    ),
    # Accounts come from the roster and cadres rarely have e-mail: allauth's sign-up,
    # password-reset and e-mail pages are replaced before allauth's own URLs are included.
    path("accounts/signup/", account_views.signup_closed, name="account_signup"),
    path(
        "accounts/password/reset/",
        account_views.password_reset_help,
        name="account_reset_password",
    ),
    path("accounts/", include(no_email_urls)),
    path("accounts/", include("allauth.urls")),
    path("", include("courses.urls")),
    path("exams/", include("exams.urls")),
    path("evaluation/", include("lms.evaluation.urls")),
    # Before Wagtail's own sign-in form, which would skip allauth's second factor.
    path("admin/login/", account_views.admin_sign_in, name="admin_sign_in"),
    path("admin/reports/", include(admin_reports.urlpatterns)),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
]

if settings.SERVE_MEDIA:
    # The embedded default serves uploads itself, with Range support so phones can seek
    # videos; production leaves this to nginx or object storage (see README).
    urlpatterns += [re_path(r"^media/(?P<path>.*)$", serve_media, name="media")]

urlpatterns += [path("", include(wagtail_urls))]
