"""Tags of our extension of wagtail-localize's translation editor
(``templates/wagtail_localize/admin/edit_translation.html``)."""

from django import template

from sites.translation_review import review_offer

register = template.Library()


@register.simple_tag(takes_context=True)
def offers_review(context, instance):
    """Whether the editor offers "Zur Freigabe einreichen" to the requesting user."""
    request = context.get("request")
    return request is not None and review_offer(request.user, instance)
