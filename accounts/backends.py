"""The admin's sign-in limit (django-axes) as an authentication backend."""

from axes.backends import AxesStandaloneBackend


class AdminSignInLimit(AxesStandaloneBackend):
    """Refuses a locked-out client's admin sign-in before any password is checked.

    A sign-in with no request (a test client's ``login``, a command) comes from no
    client, so there is nothing to count or refuse: the next backend decides.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
