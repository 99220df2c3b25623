"""Tags of our extension of wagtail-localize's translation editor
(``templates/wagtail_localize/admin/edit_translation.html``)."""

from django import template

from sites.translation_review import review_state

register = template.Library()


@register.simple_tag(takes_context=True)
def review_action(context, instance):
    """``"submit"``, ``"waiting"`` or ``None``: see ``sites.translation_review.review_state``."""
    request = context.get("request")
    return review_state(request.user, instance) if request is not None else None
