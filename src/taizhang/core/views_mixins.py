"""View mixins that put every class-based view through the one scoping mechanism."""

from django.contrib.auth.mixins import LoginRequiredMixin

from .scoping import VIEW


class ScopedQuerysetMixin(LoginRequiredMixin):
    """Limits ``get_queryset`` to rows the user may ``scope_action`` (default "view").

    An object outside the user's subtrees is then simply not found (404), never shown.
    """

    scope_action = VIEW

    def get_queryset(self):
        return super().get_queryset().restrict(self.request.user, self.scope_action)
