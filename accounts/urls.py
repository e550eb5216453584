"""The site's own account pages; allauth serves sign-up, sign-in and the rest beside them."""

from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("profile/token/", views.token_create, name="token-create"),
    path("profile/token/revoke/", views.token_revoke, name="token-revoke"),
    path("profile/webhooks/<int:pk>/", views.webhook, name="webhook"),
    path("profile/webhooks/<int:pk>/enable/", views.webhook_enable, name="webhook-enable"),
    path("profile/webhooks/<int:pk>/remove/", views.webhook_remove, name="webhook-remove"),
]
