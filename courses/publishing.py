"""Loaded by Wagtail while its models load (WAGTAIL_FINISH_WORKFLOW_ACTION): no imports."""


def publish_approved(workflow_state, user=None) -> None:
    """WAGTAIL_FINISH_WORKFLOW_ACTION: publish once the last task approves.

    Wagtail's default re-checks that the approver holds the page 'publish' permission, which
    would have to be granted on the whole catalog (letting any staff member publish or
    unpublish any institution's courses). The approval task already checked that this
    reviewer belongs to the course's own institution, so that check is the one that counts."""
    workflow_state.content_object.get_latest_revision().publish(
        user=user, skip_permission_checks=True
    )
