"""A method a view does not have is a 405 before anyone is asked who they are, as the
schema says (it lists each path's methods), never a 401 that suggests a token would help.
First in ``DEFAULT_PERMISSION_CLASSES``, before the rule that anyone may read and only
the signed-in may write."""

from rest_framework.exceptions import MethodNotAllowed
from rest_framework.permissions import BasePermission


class MethodAllowed(BasePermission):
    def has_permission(self, request, view):
        if request.method not in view.allowed_methods:
            raise MethodNotAllowed(request.method)
        return True
