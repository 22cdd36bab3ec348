"""Who may see or do what with applications: each room's permissions (`intake`, `review`, `decisions`),
collected here for the workflow tables, views and tests that ask the app."""

from .intake.permissions import (  # noqa: F401
    acts_as_applicant, can_create_application, can_declare, can_download_attachment, can_edit_application,
    can_grant_extension, can_manage_periods, can_start_applications, can_view_application,
    can_view_applications)
from .review.permissions import (  # noqa: F401
    acts_as_first_reviewer, acts_as_reviewer, acts_as_second_reviewer, can_assign_reviewers,
    can_see_review, can_view_review_queue, may_take_for_review)
from .decisions.permissions import (  # noqa: F401
    acts_as_ministry, can_decide, can_download_decision, can_mark_advance_paid, can_retry_decision_letter)
