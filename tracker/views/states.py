from .home import home as state_index


def state_detail(request, code):
    return state_index(request)
