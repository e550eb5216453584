from .home import home as changes
