"""The kerngroep's review: the queue, taking and assigning, the assessment, additions and comments."""

from django.urls import path

from . import views

urlpatterns = [
    path("beoordeling/", views.review_queue, name="review_queue"),
    path("<int:pk>/beoordeling/nemen/", views.review_take, name="review_take"),
    path("<int:pk>/beoordeling/tweede/", views.review_second_take, name="review_second_take"),
    path("<int:pk>/beoordeling/toewijzen/", views.review_assign, name="review_assign"),
    path("<int:pk>/beoordeling/", views.assessment, name="assessment"),
    path("<int:pk>/beoordeling/akkoord/", views.assessment_agree, name="assessment_agree"),
    path("<int:pk>/beoordeling/terugsturen/", views.assessment_send_back, name="assessment_return"),
    path("<int:pk>/beoordeling/aanvulling/", views.additions_request, name="additions_request"),
    path("<int:pk>/aanvulling/antwoorden/", views.additions_answer, name="additions_answer"),
    path("<int:pk>/opmerkingen/", views.comment_add, name="comment_add"),
]
