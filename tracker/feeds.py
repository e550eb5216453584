from .views.home import home


class DeploymentFeed:
    def __call__(self, request, **kwargs):
        return home(request)


StateDeploymentFeed = DeploymentFeed
