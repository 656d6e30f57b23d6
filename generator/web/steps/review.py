"""Step 9, review: not a form; the review view (generator.web.views.review) shows the policy,
the compliance report and the downloads."""
from .base import Step


class ReviewStep(Step):
    slug = "review"
    title = "Review and download"
    nav_title = "Review"
    template = "wizard/review.html"

    def is_done(self, answers):
        return False
