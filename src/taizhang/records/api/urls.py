"""Endpoints of the records app, registered on the project API router."""

routes: list = []
