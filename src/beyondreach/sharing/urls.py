from django.urls import path

from beyondreach.sharing import views as v

urlpatterns = [
    path("sharing/agreements/", v.agreement_list, name="agreement-list"),
    path("sharing/agreements/accept/", v.agreement_accept_view, name="agreement-accept"),
    path("sharing/agreements/end/", v.agreement_end_view, name="agreement-end"),
    path("incidents/<str:incident_id>/share/", v.incident_share_view, name="incident-share"),
    path("incidents/<str:incident_id>/share/revoke/", v.share_revoke_view, name="share-revoke"),
    path("shared/", v.shared_list, name="shared-list"),
    path("shared/<str:incident_id>/", v.shared_detail, name="shared-detail"),
]
