from .home import home as stats
