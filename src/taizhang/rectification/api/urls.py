"""Endpoints of the rectification app, registered on the project API router."""

routes: list = []
