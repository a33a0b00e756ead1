from django.urls import path

from beyondreach.screening import views as v

urlpatterns = [
    path("screening/", v.match_list, name="screening-list"),
    path("screening/<str:match_id>/decide/", v.match_decide, name="screening-decide"),
]
