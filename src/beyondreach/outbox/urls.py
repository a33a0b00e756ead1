from django.urls import path

from beyondreach.outbox import views

urlpatterns = [
    path("outbox/", views.delivery_list, name="outbox-list"),
    path("outbox/<str:message_id>/retry/", views.delivery_retry, name="outbox-retry"),
]
