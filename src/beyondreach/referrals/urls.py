from django.urls import path

from beyondreach.referrals import views as v

urlpatterns = [
    path("referrals/bodies/", v.body_list, name="protection-body-list"),
    path("referrals/bodies/<str:body_id>/", v.body_edit, name="protection-body-edit"),
    path("incidents/<str:incident_id>/referrals/new/", v.referral_new, name="referral-new"),
    path("referrals/<str:referral_id>/", v.referral_detail, name="referral-detail"),
    path(
        "referrals/<str:referral_id>/acknowledge/",
        v.referral_acknowledged,
        name="referral-acknowledge",
    ),
    path("referrals/<str:referral_id>/revoke/", v.referral_revoke, name="referral-revoke"),
    # The body's secure link: no account, the token is the key (only its digest is stored).
    path("referral/<str:token>/", v.referral_link, name="referral-link"),
]
