"""Endpoints of the notify app, registered on the project API router."""

routes: list = []
