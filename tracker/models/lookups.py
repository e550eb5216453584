"""Coordinate transforms on point fields, so database constraints can
check longitude and latitude ranges (``location__x__lte=180``)."""

from django.contrib.gis.db.models import PointField
from django.db.models import FloatField, Transform


class PointX(Transform):
    lookup_name = "x"
    function = "ST_X"
    output_field = FloatField()


class PointY(Transform):
    lookup_name = "y"
    function = "ST_Y"
    output_field = FloatField()


PointField.register_lookup(PointX)
PointField.register_lookup(PointY)
