from .home import home as data

about = data
