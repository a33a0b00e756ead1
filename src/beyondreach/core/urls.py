from django.urls import path

from beyondreach.core import views

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.login_view, name="login"),
    path("login/two-factor/", views.two_factor_view, name="two-factor"),
    path("logout/", views.logout_view, name="logout"),
]
